import { z } from 'zod';

/**
 * The JSON each tool returns to the model (as ToolMessage content). These shapes are a contract
 * with `providers/llm/mock.ts`, which cannot import agent/ and parses the same fields by name, and
 * with observe/reflect, which derive the evidence facts from them. Change both sides together.
 */

export const MetricStatus = z.enum(['above_band', 'below_band', 'within_band', 'no_data']);
export type MetricStatus = z.infer<typeof MetricStatus>;

export const MetricsOutput = z.object({
  service: z.string(),
  window_minutes: z.number(),
  metrics: z.array(
    z.object({
      namespace: z.string(),
      metric_name: z.string(),
      stat: z.string(),
      dimensions: z.record(z.string(), z.string()),
      status: MetricStatus,
      latest: z.number().nullable(),
      band: z.object({ lower: z.number(), upper: z.number() }).nullable(),
      recent: z.array(z.number()),
    }),
  ),
  /** Names of the metrics outside their band: the signal. */
  anomalous: z.array(z.string()),
});
export type MetricsOutput = z.infer<typeof MetricsOutput>;

export const LogGroupOut = z.object({
  id: z.string(),
  level: z.string(),
  template: z.string(),
  count: z.number(),
  /** Lines of this template in the baseline before the window (its own normal volume). */
  baseline_count: z.number().optional(),
  /** The template's lines address the agent (role prefixes, decision fields, tool-shaped JSON): data, never evidence. */
  suspected_injection: z.boolean().optional(),
  first_seen: z.string().optional(),
  last_seen: z.string().optional(),
  samples: z.array(z.string()),
});
export type LogGroupOut = z.infer<typeof LogGroupOut>;

export const LogsOutput = z.object({
  service: z.string(),
  source: z.enum(['rds_unified_logs', 'cloudwatch_logs']),
  window_minutes: z.number(),
  /** The baseline span before the window that `baseline_count` covers. */
  baseline_minutes: z.number().optional(),
  total_rows: z.number(),
  /** Error-or-worse rows: the signal. */
  error_rows: z.number(),
  baseline_error_rows: z.number().optional(),
  groups: z.array(LogGroupOut),
  /** The summariser's compact text (service → severity → template), when it ran. */
  summary: z.string().optional(),
});
export type LogsOutput = z.infer<typeof LogsOutput>;

export const ActionBounds = z.record(
  z.string(),
  z.object({ min: z.number().optional(), max: z.number().optional() }),
);

export const RunbookHitOut = z.object({
  runbook_id: z.string(),
  title: z.string(),
  score: z.number(),
  services: z.array(z.string()),
  symptoms: z.array(z.string()),
  patterns: z.array(z.string()),
  escalate: z.boolean(),
  /** The runbook's typed signals: log wordings and metrics (name, namespace, direction). */
  signals: z
    .object({
      logs: z.array(z.object({ id: z.string(), phrases: z.array(z.string()), regex: z.array(z.string()) })),
      metrics: z.array(z.object({ name: z.string(), namespace: z.string(), direction: z.string() })),
      changes: z.array(z.object({ kind: z.string(), within_minutes: z.number() })).optional(),
    })
    .optional(),
  allowed_actions: z.array(
    z.object({
      action: z.string(),
      risk: z.string(),
      parameters: ActionBounds.optional(),
      default_parameters: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
export type RunbookHitOut = z.infer<typeof RunbookHitOut>;

export const KnowledgeOutput = z.object({ query: z.string(), hits: z.array(RunbookHitOut) });
export type KnowledgeOutput = z.infer<typeof KnowledgeOutput>;

export const ChangesOutput = z.object({
  service: z.string(),
  window_hours: z.number(),
  changes: z.array(
    z.object({
      kind: z.enum(['remediation', 'deployment']),
      resource: z.string(),
      at: z.string(),
      detail: z.string(),
    }),
  ),
});
export type ChangesOutput = z.infer<typeof ChangesOutput>;

export const HistoryOutput = z.object({
  service: z.string(),
  window_days: z.number(),
  incidents: z.array(
    z.object({
      incident_id: z.string(),
      at: z.string(),
      status: z.string(),
      title: z.string(),
      root_cause: z.string(),
      action: z.string(),
    }),
  ),
});
export type HistoryOutput = z.infer<typeof HistoryOutput>;

export const PatternsOutput = z.object({
  service: z.string(),
  anomalous_metrics: z.array(z.string()),
  onset: z.string().nullable(),
  patterns: z.array(
    z.object({
      template: z.string(),
      level: z.string(),
      count: z.number(),
      trend: z.enum(['rising', 'steady', 'falling']),
    }),
  ),
});
export type PatternsOutput = z.infer<typeof PatternsOutput>;

export const ProposalOutput = z.object({
  accepted: z.boolean(),
  runbook_id: z.string().nullable(),
  plan: z.record(z.string(), z.unknown()),
  risk: z.string(),
  problems: z.array(z.string()),
});
export type ProposalOutput = z.infer<typeof ProposalOutput>;

/** Every tool failure is returned as data, so the model can carry on. */
export const ToolErrorOutput = z.object({ error: z.string() });

/** Which evidence family a tool belongs to: independent families raise evidence sufficiency. */
export const EVIDENCE_FAMILY: Record<string, 'metrics' | 'logs' | 'changes' | undefined> = {
  query_cloudwatch_metrics: 'metrics',
  query_rds_logs: 'logs',
  query_cloudwatch_logs: 'logs',
  get_recent_changes: 'changes',
};
