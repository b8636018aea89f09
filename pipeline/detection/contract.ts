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
  /**
   * The run's identity (the workflow execution): a retry with the same run_id re-opens the incidents
   * its first attempt claimed in de-duplication (same ids), instead of seeing them as repeats and losing them.
   */
  run_id: z.string().min(1).max(300).optional(),
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
  // The workflow sends `{request: <its input>, run_id: $$.Execution.Id}`.
  const e = event as { request?: unknown; run_id?: unknown } | null | undefined;
  const raw =
    e && typeof e === 'object' && 'run_id' in e && 'request' in e
      ? { ...((e.request ?? {}) as object), run_id: e.run_id }
      : (event ?? {});
  const r = DetectInput.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : '(event)';
  throw new Error(`Invalid detect input: ${field}: expected ${issue.message}`);
}
