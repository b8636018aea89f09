import * as z from 'zod';
import { Anomaly, AnomalySource, Incident } from '../../providers/domain';

/**
 * What starts a detection run. The schedule sends `{}`; `/bdp analyze <service>` sends the service and
 * who asked. Unknown keys (Step Functions / Scheduler envelopes) are ignored.
 */
export const DetectInput = z.object({
  service: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'a service name')
    .max(63, 'a service name of at most 63 characters')
    .optional(),
  requested_by: z.string().trim().min(1).max(200).optional(),
});
export type DetectInput = z.infer<typeof DetectInput>;

/** A source (or one service/metric/log group of it) that could not be read this run. */
export const SourceError = z.object({
  source: AnomalySource,
  service: z.string().optional(),
  /** What was being read: a metric, a log group + pattern, or the unified-log query. */
  target: z.string().optional(),
  error: z.string().max(1000),
});
export type SourceError = z.infer<typeof SourceError>;

export const DetectOutput = z.object({
  anomalies_detected: z.boolean(),
  /** Every anomaly seen this run, new or already known. */
  anomalies: z.array(Anomaly),
  /** New incidents after de-duplication: one per service that has new anomalies. */
  incidents: z.array(Incident),
  source_errors: z.array(SourceError).default([]),
});
export type DetectOutput = z.infer<typeof DetectOutput>;

/** Parses a handler event into DetectInput with a message that names the bad field. */
export function parseDetectInput(event: unknown): DetectInput {
  const r = DetectInput.safeParse(event ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : '(event)';
  throw new Error(`Invalid detect input: ${field}: expected ${issue.message}`);
}
