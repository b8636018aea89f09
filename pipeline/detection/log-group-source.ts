import { AwsProviderError, type CloudWatchLogsProvider } from '../../providers/aws/types';
import type { Anomaly, ServiceDefinition } from '../../providers/domain';
import type { SourceError } from './contract';
import { logger } from './logger';
import { errorRatio, errorRatioSeverity, MIN_ERROR_RATIO } from './severity';
import { anomalySignature } from './signature';
import { pickSamples, templateCounts } from './templates';
import {
  bucketCounts,
  clip,
  type DetectionWindow,
  errorText,
  fmt,
  mapLimit,
  type SourceResult,
} from './window';

/** Events read per log group and pattern and window; counts at this cap are "at least". */
const EVENT_LIMIT = 1000;
const CONCURRENCY = 4;

/** The problem a filter pattern names, so runbooks can match on kind; anything else is "log_errors". */
export function kindForPattern(pattern: string): string {
  if (/timed?\s*out|timeout/i.test(pattern)) return 'timeout';
  if (/out\s*of\s*memory|outofmemory|\boom\b/i.test(pattern)) return 'out_of_memory';
  return 'log_errors';
}

/**
 * CloudWatch Logs: for each configured log group and filter pattern, the matches in the window against
 * the matches in the baseline; the same firing rule as the unified logs (at least `min_errors`, at least
 * MIN_ERROR_RATIO × baseline). The baseline is read only when the window already has enough matches.
 */
export async function detectLogGroupAnomalies(
  cwl: CloudWatchLogsProvider,
  services: ServiceDefinition[],
  w: DetectionWindow,
): Promise<SourceResult> {
  const jobs = services.flatMap((service) =>
    service.log_groups.flatMap((group) =>
      group.filter_patterns.map((pattern) => ({ service, log_group: group.name, pattern })),
    ),
  );
  const results = await mapLimit(
    jobs,
    CONCURRENCY,
    async (job): Promise<{ anomaly?: Anomaly; error?: SourceError }> => {
      try {
        const q = { log_group: job.log_group, filter_pattern: job.pattern, limit: EVENT_LIMIT };
        const events = (await cwl.filterEvents({ ...q, start: w.window_start, end: w.now })).filter(
          (e) => e.timestamp >= w.window_start.getTime() && e.timestamp < w.now.getTime(),
        );
        if (events.length < job.service.min_errors) return {};
        const baseline = await cwl.filterEvents({ ...q, start: w.baseline_start, end: w.window_start });
        const { expected, ratio } = errorRatio(
          events.length,
          baseline.length,
          w.window_minutes,
          w.baseline_minutes,
        );
        if (ratio < MIN_ERROR_RATIO) return {};

        const groups = templateCounts(events.map((e) => e.message.trim()));
        const template = groups[0]?.template;
        const kind = kindForPattern(job.pattern);
        const count = events.length;
        const anomaly: Anomaly = {
          signature: anomalySignature({
            service: job.service.name,
            source: 'cloudwatch_logs',
            kind,
            log_group: job.log_group,
            filter_pattern: job.pattern,
            template,
          }),
          service: job.service.name,
          source: 'cloudwatch_logs',
          kind,
          severity: errorRatioSeverity(ratio),
          detected_at: w.now.toISOString(),
          summary: clip(
            `${count >= EVENT_LIMIT ? 'at least ' : ''}${count} "${job.pattern}" events in ${job.log_group} in ` +
              `${w.window_minutes} min, baseline predicts ${fmt(expected)} (${fmt(ratio)}×)` +
              `${template ? `; mostly "${template}"` : ''}`,
            500,
          ),
          logs: {
            error_count: count,
            baseline_count: Math.round(expected * 100) / 100,
            window_minutes: w.window_minutes,
            log_group: job.log_group,
            filter_pattern: job.pattern,
            template,
            samples: pickSamples(groups),
            series: bucketCounts(
              events.map((e) => e.timestamp),
              w,
            ),
          },
        };
        return { anomaly };
      } catch (e) {
        // A log group that does not exist yet (a function never invoked) has no matches: say so, go on.
        if (e instanceof AwsProviderError && e.kind === 'not_found') {
          logger.warn('log group not found; counted as no matches', {
            service: job.service.name,
            log_group: job.log_group,
          });
          return {};
        }
        return {
          error: {
            source: 'cloudwatch_logs',
            service: job.service.name,
            target: `${job.log_group} "${job.pattern}"`,
            error: errorText(e),
          },
        };
      }
    },
  );
  return {
    anomalies: results.flatMap((r) => (r.anomaly ? [r.anomaly] : [])),
    errors: results.flatMap((r) => (r.error ? [r.error] : [])),
  };
}
