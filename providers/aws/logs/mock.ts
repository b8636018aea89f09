import { FaultInjector } from '../shared/faults';
import { AwsProviderError, type CloudWatchLogsProvider, type LogEvent } from '../types';
import { matchesFilter, parseFilterPattern } from './filter-pattern';
import { runInsightsQuery } from './insights';

export interface NewLogEvent {
  message: string;
  /** Epoch ms or a Date; defaults to the mock's clock. */
  timestamp?: number | Date;
  log_stream?: string;
}

/**
 * In-memory CloudWatch Logs. Events come in through `putLogEvents`; `filterEvents` understands the
 * filter-pattern forms listed in filter-pattern.ts, `insightsQuery` the subset listed in insights.ts.
 * Time ranges include both ends, as FilterLogEvents' startTime/endTime do.
 */
export class MockCloudWatchLogs implements CloudWatchLogsProvider {
  readonly faults = new FaultInjector('logs');
  private readonly groups = new Map<string, LogEvent[]>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  failNext(operation: 'FilterLogEvents' | 'StartQuery', kind: AwsProviderError['kind'], n = 1): void {
    this.faults.failNext(operation, kind, n);
  }

  /** Test/simulator hook: append events to a log group (created on first use). */
  putLogEvents(group: string, events: NewLogEvent[]): void {
    const list = this.groups.get(group) ?? [];
    for (const e of events) {
      const ts =
        e.timestamp === undefined
          ? this.now().getTime()
          : typeof e.timestamp === 'number'
            ? e.timestamp
            : e.timestamp.getTime();
      list.push({ timestamp: ts, message: e.message, log_stream: e.log_stream ?? 'mock-stream' });
    }
    list.sort((a, b) => a.timestamp - b.timestamp);
    this.groups.set(group, list);
  }

  /** Test hook: every event of a group, oldest first. */
  events(group: string): LogEvent[] {
    return [...(this.groups.get(group) ?? [])];
  }

  reset(): void {
    this.groups.clear();
  }

  async filterEvents(q: {
    log_group: string;
    filter_pattern: string;
    start: Date;
    end: Date;
    limit?: number;
  }): Promise<LogEvent[]> {
    this.faults.check('FilterLogEvents');
    const list = this.groups.get(q.log_group);
    if (!list) {
      throw new AwsProviderError(
        'logs',
        'FilterLogEvents',
        'not_found',
        `ResourceNotFoundException: log group ${q.log_group} does not exist`,
      );
    }
    let filter: ReturnType<typeof parseFilterPattern>;
    try {
      filter = parseFilterPattern(q.filter_pattern);
    } catch (e) {
      throw new AwsProviderError('logs', 'FilterLogEvents', 'validation', (e as Error).message);
    }
    const from = q.start.getTime();
    const to = q.end.getTime();
    const limit = q.limit ?? 10_000;
    return list
      .filter((e) => e.timestamp >= from && e.timestamp <= to && matchesFilter(filter, e.message))
      .slice(0, limit)
      .map((e) => ({ ...e }));
  }

  async insightsQuery(q: {
    log_groups: string[];
    query: string;
    start: Date;
    end: Date;
    limit?: number;
  }): Promise<Record<string, string>[]> {
    this.faults.check('StartQuery');
    if (q.log_groups.length === 0)
      throw new AwsProviderError('logs', 'StartQuery', 'validation', 'at least one log group is required');
    const from = q.start.getTime();
    const to = q.end.getTime();
    const events = q.log_groups.flatMap((g) => {
      const list = this.groups.get(g);
      if (!list)
        throw new AwsProviderError(
          'logs',
          'StartQuery',
          'not_found',
          `ResourceNotFoundException: log group ${g} does not exist`,
        );
      return list
        .filter((e) => e.timestamp >= from && e.timestamp <= to)
        .map((e) => ({ ...e, log_group: g }));
    });
    try {
      return runInsightsQuery(q.query, events, q.limit);
    } catch (e) {
      throw new AwsProviderError(
        'logs',
        'StartQuery',
        'validation',
        `MalformedQueryException: ${(e as Error).message}`,
      );
    }
  }
}
