import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { ActionType, Route } from '../../providers/domain';

/**
 * One evaluation case = one folder under test/scenarios with a `case.json`: the incident (a service
 * and its anomaly), the telemetry the tools will return, and what a correct analysis must say and do.
 * The format is documented in test/scenarios/README.md.
 */

export const CASE_TAGS = ['runbook', 'uncovered', 'misleading', 'two-tools', 'injection', 'healthy'] as const;
export const CaseTag = z.enum(CASE_TAGS);
export type CaseTag = z.infer<typeof CaseTag>;

const minutesAgo = z
  .number()
  .min(0)
  .max(24 * 60);

/** A metric of the service: a trained baseline (with a small wobble, so it has a band) and an excursion. */
export const MetricTelemetry = z.object({
  metric_name: z.string().min(1),
  baseline: z.number(),
  /** The value over the last `spike_minutes`; omit for a metric that stays at its baseline. */
  spike: z.number().optional(),
  spike_minutes: z.number().int().min(1).max(60).default(5),
  /** Minutes of history before the excursion (enough for the anomaly band). */
  history_minutes: z.number().int().min(30).max(600).default(240),
});

export const UnifiedLogTelemetry = z.object({
  level: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']),
  /** `{n}` is replaced by a per-row number, so rows differ the way real ones do. */
  message: z.string().min(1),
  count: z.number().int().min(1).max(2000),
  /** The rows are spread over the minutes before now (newest `count` rows end at now). */
  spread_minutes: z.number().min(0.5).max(600).default(8),
  metadata: z.record(z.string(), z.unknown()).nullable().default(null),
});

export const CloudWatchLogTelemetry = z.object({
  /** Defaults to the service's first log group. */
  group: z.string().optional(),
  message: z.string().min(1),
  count: z.number().int().min(1).max(2000),
  spread_minutes: z.number().min(0.5).max(600).default(8),
});

export const ChangeTelemetry = z.object({
  /** Lambda functions (re)deployed this many minutes ago (their LastModified). */
  deployments: z.array(z.object({ function_name: z.string(), minutes_ago: minutesAgo })).default([]),
  /** Earlier remediations in bdp-remediation-history. */
  remediations: z
    .array(
      z.object({
        resource_id: z.string(),
        action: ActionType,
        parameters: z.record(z.string(), z.unknown()).default({}),
        status: z.string().default('executed'),
        minutes_ago: minutesAgo,
      }),
    )
    .default([]),
});

/** One expected fact: matched when any of its phrasings occurs (case-insensitive, whitespace-normalised). */
export const Fact = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
export type Fact = z.infer<typeof Fact>;

/** A parameter expectation: an exact value, or a numeric range, or a set of allowed values. */
export const ParamExpectation = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.object({ min: z.number().optional(), max: z.number().optional() }).strict(),
  z.object({ one_of: z.array(z.union([z.string(), z.number()])).min(1) }).strict(),
]);
export type ParamExpectation = z.infer<typeof ParamExpectation>;

export const ExpectedAction = z.union([
  z.literal('none'),
  z
    .object({
      type: ActionType,
      /** Only the listed parameters are checked (dotted paths reach into `detail`). */
      parameters: z.record(z.string(), ParamExpectation).default({}),
    })
    .strict(),
]);
export type ExpectedAction = z.infer<typeof ExpectedAction>;

export const EvalCase = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,80}$/),
    title: z.string().min(1).max(200),
    /** What a person would ask: the question the analysis answers. */
    question: z.string().min(1).max(500),
    tags: z.array(CaseTag).min(1),
    /** The runbook a correct analysis rests on (null: none covers it). Informational; scoring uses facts. */
    runbook: z.string().nullable().default(null),
    service: z.string().min(1),
    /** 'detection': the real detection builds the incident from the telemetry (default); else use `incident`. */
    incident_from: z.enum(['detection', 'case']).default('detection'),
    incident: z.object({ title: z.string().max(300), kind: z.string().default('metric_anomaly') }).optional(),
    telemetry: z
      .object({
        metrics: z.array(MetricTelemetry).default([]),
        unified_logs: z.array(UnifiedLogTelemetry).default([]),
        cloudwatch_logs: z.array(CloudWatchLogTelemetry).default([]),
        changes: ChangeTelemetry.default({ deployments: [], remediations: [] }),
      })
      .strict(),
    expected: z
      .object({
        /** Every fact must be stated by the root cause or its cited evidence. */
        root_cause_facts: z.array(Fact).min(1),
        /** Phrases a correct answer must NOT present as the cause (e.g. the misleading noise). */
        must_not_blame: z.array(z.string().min(1)).default([]),
        action: ExpectedAction,
        route: z.union([Route, z.array(Route).min(1)]),
      })
      .strict(),
    notes: z.string().optional(),
  })
  .strict();
export type EvalCase = z.infer<typeof EvalCase>;
export type EvalCaseInput = z.input<typeof EvalCase>;

export const SCENARIOS_DIR = join(__dirname, '..', 'scenarios');

/** Reads every `<dir>/<case>/case.json`, validating each; a bad case stops the run naming the file and field. */
export function loadCases(dir = SCENARIOS_DIR, filter?: string): EvalCase[] {
  const cases: EvalCase[] = [];
  for (const name of readdirSync(dir).sort()) {
    const folder = join(dir, name);
    if (!statSync(folder).isDirectory()) continue;
    const file = join(folder, 'case.json');
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: cannot read JSON (${(e as Error).message})`);
    }
    const r = EvalCase.safeParse(doc);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw new Error(`${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    }
    if (r.data.id !== name)
      throw new Error(`${file}: id "${r.data.id}" must equal its folder name "${name}"`);
    cases.push(r.data);
  }
  if (!filter) return cases;
  // Comma-separated: a tag, an exact id, or part of an id.
  const wanted = filter
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  return cases.filter((c) => wanted.some((f) => c.tags.includes(f as CaseTag) || c.id.includes(f)));
}
