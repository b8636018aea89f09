/**
 * Shapes of the summariser's input rows and its output. The summary is plain data (zod-checked,
 * JSON-safe); `renderSummary` turns it into the compact text the LLM reads.
 */
import * as z from 'zod';

/** One log row as the unified-log table or CloudWatch Logs give it. */
export const LogRecordSchema = z.object({
  timestamp: z.string(),
  service: z.string(),
  level: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type LogRecord = z.infer<typeof LogRecordSchema>;

/** A representative row of a group, with only its key fields. */
export const SampleRowSchema = z.object({
  timestamp: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});
export type SampleRow = z.infer<typeof SampleRowSchema>;

/** What the values at one variable position of a template looked like. */
export const VariableSummarySchema = z.object({
  /** 1-based index among the template's variable positions (`$1`, `$2` …). */
  position: z.number().int().positive(),
  /** Distinct values seen (capped: `distinctCapped` says the real number is higher). */
  distinct: z.number().int().nonnegative(),
  distinctCapped: z.boolean(),
  /** Most frequent values, most frequent first (ties: alphabetical). */
  top: z.array(z.object({ value: z.string(), count: z.number().int().positive() })),
});
export type VariableSummary = z.infer<typeof VariableSummarySchema>;

/** How much of a group the rendered text shows (decided by the token budget). */
export const GroupDetailSchema = z.enum(['full', 'condensed', 'folded']);
export type GroupDetail = z.infer<typeof GroupDetailSchema>;

export const TemplateGroupSchema = z.object({
  /** `T1`, `T2` … in order of first appearance (by time, then content). */
  id: z.string().regex(/^T\d+$/),
  template: z.string(),
  count: z.number().int().positive(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  samples: z.array(SampleRowSchema).max(5),
  variables: z.array(VariableSummarySchema),
  detail: GroupDetailSchema,
});
export type TemplateGroup = z.infer<typeof TemplateGroupSchema>;

export const SeverityNodeSchema = z.object({
  level: z.string(),
  count: z.number().int().nonnegative(),
  groups: z.array(TemplateGroupSchema),
});
export type SeverityNode = z.infer<typeof SeverityNodeSchema>;

export const ServiceNodeSchema = z.object({
  service: z.string(),
  count: z.number().int().nonnegative(),
  severities: z.array(SeverityNodeSchema),
});
export type ServiceNode = z.infer<typeof ServiceNodeSchema>;

export const FoldedSchema = z.object({
  groups: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  /** The one line that says what was folded (empty when nothing was). */
  line: z.string(),
});

export const LogSummarySchema = z.object({
  totalRows: z.number().int().nonnegative(),
  groupCount: z.number().int().nonnegative(),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
  services: z.array(ServiceNodeSchema),
  folded: FoldedSchema,
  tokenBudget: z.number().positive(),
  /** cl100k tokens of the rendered text. */
  tokens: z.number().int().nonnegative(),
});
export type LogSummary = z.infer<typeof LogSummarySchema>;

export const SummarizeOptionsSchema = z.object({
  tokenBudget: z.number().positive(),
  /** Samples kept per group (at most 5). */
  maxSamples: z.number().int().min(0).max(5).default(5),
  /** Most frequent values listed per variable position. */
  topValues: z.number().int().min(0).max(10).default(3),
});
export type SummarizeOptions = z.input<typeof SummarizeOptionsSchema>;
