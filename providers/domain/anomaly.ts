import * as z from 'zod';

export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

export const AnomalySource = z.enum(['cloudwatch_metric', 'rds_logs', 'cloudwatch_logs']);
export type AnomalySource = z.infer<typeof AnomalySource>;

/** A metric outside its anomaly-detection band. */
export const MetricEvidence = z.object({
  namespace: z.string(),
  metric_name: z.string(),
  dimensions: z.record(z.string(), z.string()),
  stat: z.string(),
  period_seconds: z.number().int().positive(),
  value: z.number(),
  band: z.object({ lower: z.number(), upper: z.number() }),
  direction: z.enum(['above', 'below']),
  /** Recent values, oldest first, for the card's trend. */
  series: z.array(z.number()).max(120),
});

/** Errors in unified logs (RDS) or CloudWatch Logs. */
export const LogEvidence = z.object({
  error_count: z.number().int().nonnegative(),
  baseline_count: z.number().nonnegative(),
  window_minutes: z.number().int().positive(),
  log_group: z.string().optional(),
  filter_pattern: z.string().optional(),
  /** The masked message template the errors share. */
  template: z.string().optional(),
  samples: z.array(z.string()).max(5),
  /** Counts per minute, oldest first, for the card's trend. */
  series: z.array(z.number()).max(120).default([]),
});

export const Anomaly = z.object({
  /** Stable hash of what identifies the problem: service, kind, metric or template. Never volatile values. */
  signature: z.string().regex(/^[0-9a-f]{16,64}$/),
  service: z.string().min(1),
  source: AnomalySource,
  kind: z.string().min(1),
  severity: Severity,
  detected_at: z.iso.datetime(),
  summary: z.string().max(500),
  metric: MetricEvidence.optional(),
  logs: LogEvidence.optional(),
});
export type Anomaly = z.infer<typeof Anomaly>;

export const DetectionResult = z.object({
  anomalies_detected: z.boolean(),
  anomalies: z.array(Anomaly),
});
export type DetectionResult = z.infer<typeof DetectionResult>;
