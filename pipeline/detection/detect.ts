import type { AwsProviders } from '../../providers/aws/types';
import { Anomaly, Incident } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { type TrackResult, trackAnomaly } from '../dedup';
import { type DetectInput, DetectOutput, type SourceError } from './contract';
import { groupIncidents, onDemandAnomaly } from './incidents';
import { logger } from './logger';
import { runDetection } from './run';
import { resolveService } from './services';
import { detectionWindow, errorText, mapLimit } from './window';
import '../../providers/aws/clients/dynamodb';

/** What detection needs of the Runtime (a whole Runtime fits). */
export type DetectRuntime = Pick<Runtime, 'config' | 'services' | 'now'> & {
  aws: Pick<AwsProviders, 'cloudwatch' | 'logs' | 'unifiedLogs' | 'dynamo'>;
};

/**
 * One detection run: the three sources over the configured services (or the one asked for), then
 * de-duplication, then one new incident per service with new anomalies.
 *
 * On demand (`input.service`): only that service is checked and an incident is always returned, even
 * when its anomalies were already known (dedup counters still move) or when nothing is wrong (an
 * `on_demand` anomaly carrying the service's current error counts), so a person's request gets an answer.
 */
export async function detect(rt: DetectRuntime, input: DetectInput): Promise<DetectOutput> {
  const now = rt.now();
  const cfg = rt.config;
  const w = detectionWindow(now, cfg.DETECTION_WINDOW_MINUTES, cfg.BASELINE_WINDOW_MINUTES);
  const onDemand = input.service !== undefined;
  const services = input.service ? [resolveService(rt.services, input.service)] : rt.services;

  const run = await runDetection(rt.aws, services, w);
  const source_errors: SourceError[] = [...run.source_errors];
  // Each anomaly is checked on its own, so one malformed finding cannot sink the whole run.
  const found = run.anomalies.filter((a) => {
    const r = Anomaly.safeParse(a);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      source_errors.push({
        source: a.source,
        service: a.service,
        target: a.kind,
        error: `anomaly failed validation at ${issue.path.join('.')}: ${issue.message}`,
      });
    }
    return r.success;
  });
  for (const e of source_errors) logger.error('detection source failed', { ...e });

  // A dedup failure fails open (the anomaly counts as new): a duplicate card beats a missed incident.
  const tracked = await mapLimit(found, 4, async (a): Promise<TrackResult | undefined> => {
    try {
      return await trackAnomaly(rt.aws.dynamo, a, {
        now,
        window_minutes: cfg.DEDUP_WINDOW_MINUTES,
        run_id: input.run_id,
      });
    } catch (e) {
      const err: SourceError = {
        source: a.source,
        service: a.service,
        target: 'de-duplication',
        error: errorText(e),
      };
      source_errors.push(err);
      logger.error('anomaly tracking failed; treating the anomaly as new', {
        ...err,
        signature: a.signature,
      });
      return undefined;
    }
  });

  let anomalies = found;
  let incidents: Incident[];
  if (onDemand) {
    const service = services[0]!.name;
    if (anomalies.length === 0) {
      const failed = source_errors.length;
      anomalies = [onDemandAnomaly(service, input.requested_by, run.unified_counts.get(service), w, failed)];
    }
    incidents = groupIncidents(anomalies, now, input.requested_by ?? 'on_demand');
  } else {
    const fresh = found.filter((_, i) => tracked[i]?.is_new !== false);
    // A retried run re-opens its incidents as they were first opened: same time, so the same ids.
    const firstSeen = tracked
      .filter((t, i) => t?.is_new && fresh.includes(found[i]!))
      .map((t) => Date.parse(t!.first_seen))
      .filter(Number.isFinite);
    const openedAt = input.run_id && firstSeen.length ? new Date(Math.min(...firstSeen)) : now;
    incidents = groupIncidents(fresh, openedAt, input.requested_by ?? 'schedule');
  }

  logger.info('detection run finished', {
    services: services.length,
    anomalies: anomalies.length,
    repeats: tracked.filter((t) => t && !t.is_new).length,
    incidents: incidents.map((i) => i.incident_id),
    source_errors: source_errors.length,
    ...(onDemand ? { on_demand: services[0]!.name, requested_by: input.requested_by } : {}),
  });

  return DetectOutput.parse({
    anomalies_detected: anomalies.length > 0,
    anomalies: anomalies.map((a) => Anomaly.parse(a)),
    incidents: incidents.map((i) => Incident.parse(i)),
    source_errors,
  });
}
