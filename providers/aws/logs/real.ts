import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsCall } from '../shared/errors';
import { AwsProviderError, type CloudWatchLogsProvider, type LogEvent } from '../types';

/** FilterLogEvents pages per call, and events kept at most when no limit is given. */
const MAX_PAGES = 20;
const DEFAULT_LIMIT = 10_000;

export interface InsightsPolling {
  /** Overall budget for one Insights query. */
  timeoutMs: number;
  intervalMs: number;
}

/** CloudWatch Logs on the SDK: paginated FilterLogEvents and Logs Insights with bounded polling. */
export class SdkCloudWatchLogs implements CloudWatchLogsProvider {
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly polling: InsightsPolling = { timeoutMs: 60_000, intervalMs: 1_000 },
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async filterEvents(q: {
    log_group: string;
    filter_pattern: string;
    start: Date;
    end: Date;
    limit?: number;
  }): Promise<LogEvent[]> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const events: LogEvent[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES && events.length < limit; page++) {
      const out = await awsCall('logs', 'FilterLogEvents', (abortSignal) =>
        this.client.send(
          new FilterLogEventsCommand({
            logGroupName: q.log_group,
            filterPattern: q.filter_pattern,
            startTime: q.start.getTime(),
            endTime: q.end.getTime(),
            limit: Math.min(10_000, limit - events.length),
            ...(nextToken ? { nextToken } : {}),
          }),
          { abortSignal },
        ),
      );
      for (const e of out.events ?? []) {
        events.push({
          timestamp: e.timestamp ?? 0,
          message: e.message ?? '',
          ...(e.logStreamName ? { log_stream: e.logStreamName } : {}),
        });
      }
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    return events.slice(0, limit);
  }

  async insightsQuery(q: {
    log_groups: string[];
    query: string;
    start: Date;
    end: Date;
    limit?: number;
  }): Promise<Record<string, string>[]> {
    const started = await awsCall('logs', 'StartQuery', (abortSignal) =>
      this.client.send(
        new StartQueryCommand({
          logGroupNames: q.log_groups,
          queryString: q.query,
          // Insights takes epoch seconds.
          startTime: Math.floor(q.start.getTime() / 1000),
          endTime: Math.ceil(q.end.getTime() / 1000),
          ...(q.limit ? { limit: q.limit } : {}),
        }),
        { abortSignal },
      ),
    );
    const queryId = started.queryId;
    if (!queryId) throw new AwsProviderError('logs', 'StartQuery', 'unknown', 'no queryId in the answer');
    const deadline = Date.now() + this.polling.timeoutMs;
    while (Date.now() < deadline) {
      const out = await awsCall('logs', 'GetQueryResults', (abortSignal) =>
        this.client.send(new GetQueryResultsCommand({ queryId }), { abortSignal }),
      );
      switch (out.status) {
        case 'Complete':
          return (out.results ?? []).map((row) =>
            Object.fromEntries(
              row
                .filter((f) => f.field !== undefined && f.field !== '@ptr')
                .map((f) => [f.field!, f.value ?? '']),
            ),
          );
        case 'Failed':
        case 'Cancelled':
        case 'Timeout':
          throw new AwsProviderError(
            'logs',
            'GetQueryResults',
            out.status === 'Timeout' ? 'timeout' : 'unavailable',
            `query ${queryId} ended ${out.status}`,
          );
      }
      await this.sleep(this.polling.intervalMs);
    }
    // Do not leave the query running (and counting against the concurrency limit).
    await awsCall('logs', 'StopQuery', (abortSignal) =>
      this.client.send(new StopQueryCommand({ queryId }), { abortSignal }),
    ).catch(() => undefined);
    throw new AwsProviderError(
      'logs',
      'GetQueryResults',
      'timeout',
      `query ${queryId} not complete within ${this.polling.timeoutMs} ms (stopped)`,
    );
  }
}
