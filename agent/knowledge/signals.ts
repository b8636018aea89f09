import { z } from 'zod';

/**
 * The signals a runbook declares, by kind. Evidence is matched against these and nothing else:
 * a metric signal only against CloudWatch metric results, a log signal only against error log
 * templates, a change signal only against change records. No kind is ever guessed from a word's shape.
 */

const Text = z.string().min(2).max(300);

/** A CloudWatch metric the fault moves, and which way. */
export const MetricSignal = z
  .object({
    name: z.string().min(1).max(255),
    namespace: z.string().min(1).max(255),
    direction: z.enum(['above', 'below']),
  })
  .strict();
export type MetricSignal = z.infer<typeof MetricSignal>;

const validRegex = (r: string) => {
  try {
    new RegExp(r, 'i');
    return true;
  } catch {
    return false;
  }
};

/**
 * One log signal in several wordings: the phrases (case-insensitive substrings) and regexes that
 * different versions, clients and runtimes print for the same fault.
 */
export const LogSignal = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a kebab-case id'),
    phrases: z.array(Text).default([]),
    regex: z.array(Text.refine(validRegex, 'not a valid regular expression')).default([]),
  })
  .strict()
  .refine((s) => s.phrases.length + s.regex.length >= 2, 'a log signal needs at least two wordings');
export type LogSignal = z.infer<typeof LogSignal>;

/** A change record of this kind (optionally naming one of `detail`) within the last `within_minutes`. */
export const ChangeSignal = z
  .object({
    kind: z.enum(['deployment', 'config', 'remediation']),
    within_minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(180),
    detail: z.array(Text).default([]),
  })
  .strict();
export type ChangeSignal = z.infer<typeof ChangeSignal>;

/** Signals that mean the runbook's action would be wrong here: a person must decide. */
export const EscalateWhen = z
  .object({
    reason: z.string().min(3).max(300),
    logs: z.array(LogSignal).default([]),
    metrics: z.array(MetricSignal).default([]),
    changes: z.array(ChangeSignal).default([]),
  })
  .strict()
  .refine((e) => e.logs.length + e.metrics.length + e.changes.length > 0, 'escalate_when needs a signal');
export type EscalateWhen = z.infer<typeof EscalateWhen>;

/**
 * A metric whose normal value contradicts the runbook, scoped to its namespace (and a dimension key
 * when given). `only_for_logs`: the contradiction applies only when the runbook's log support comes
 * from these log signals alone (a flat Lambda `Throttles` says nothing about DynamoDB throttling).
 */
export const Contradiction = z
  .object({
    metric: z.string().min(1).max(255),
    namespace: z.string().min(1).max(255),
    dimension: z.string().min(1).max(255).optional(),
    when: z.enum(['within_band']).default('within_band'),
    only_for_logs: z.array(z.string()).optional(),
    reason: z.string().min(3).max(300),
  })
  .strict();
export type Contradiction = z.infer<typeof Contradiction>;

export const RunbookSignals = {
  metrics: z.array(MetricSignal).default([]),
  logs: z.array(LogSignal).default([]),
  changes: z.array(ChangeSignal).default([]),
  escalate_when: z.array(EscalateWhen).default([]),
  contradicted_by: z.array(Contradiction).default([]),
};

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');
const compiled = new Map<string, RegExp>();
const re = (r: string) => {
  let x = compiled.get(r);
  if (!x) {
    x = new RegExp(r, 'i');
    compiled.set(r, x);
  }
  return x;
};

/** Does this text show the log signal in any of its wordings? */
export function logSignalMatches(signal: Pick<LogSignal, 'phrases' | 'regex'>, text: string): boolean {
  const t = squash(text);
  return signal.phrases.some((p) => t.includes(squash(p))) || signal.regex.some((r) => re(r).test(text));
}
