import { z } from 'zod';
import { ActionType, Risk } from '../../providers/domain';
import { RunbookSignals } from './signals';

/**
 * The front matter of a runbook (knowledge-base/**.md). The Markdown body below it holds the prose:
 * symptoms, diagnosis, remediation, verification, when to escalate.
 *
 * Targets in `default_parameters` are either real names from the remediation policy
 * (e.g. `parameter_group: orders-db-params`) or TEMPLATED: the placeholder `{{service}}` is replaced
 * by the incident's service name when the agent turns the runbook into a proposal
 * (`KnowledgeBase.proposals`), e.g. `function_name: "{{service}}"` or
 * `resource_id: "service/bdp-cluster/{{service}}"`. `{{service}}` is the only placeholder.
 */

/** Where a runbook (or one of its actions) applies: service names, service kinds, or `*` for any. */
const ServiceSelector = z
  .string()
  .regex(/^(\*|[a-z][a-z0-9-]{1,62})$/, 'a service name, a kind (lambda/ecs/aurora/spark/glue/other) or "*"');

/** Bounds of one parameter: a numeric range and/or a list of allowed values. */
export const ParameterBound = z
  .object({
    min: z.number().optional(),
    max: z.number().optional(),
    one_of: z
      .array(z.union([z.string().min(1), z.number()]))
      .min(1)
      .optional(),
  })
  .strict()
  .refine(
    (b) => b.min !== undefined || b.max !== undefined || b.one_of !== undefined,
    'a bound needs min, max or one_of',
  )
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, 'min must not exceed max');
export type ParameterBound = z.infer<typeof ParameterBound>;

/**
 * The fields of each action's parameters that a runbook may bound. For `rds_parameter` the keys are
 * instead DATABASE parameter names (max_connections, statement_timeout, …): the plan's parameter_name
 * must be one of them and its new_value must lie inside that key's {min, max}.
 */
export const BOUNDABLE_FIELDS: Record<Exclude<ActionType, 'rds_parameter'>, readonly string[]> = {
  lambda_restart: ['function_name'],
  auto_scaling: ['resource_type', 'resource_id', 'action', 'amount'],
  eventbridge_event: ['event_type'],
};

export const AllowedAction = z
  .object({
    action: ActionType,
    risk: Risk,
    /** Which of the runbook's services this action applies to; defaults to the runbook's `services`. */
    services: z.array(ServiceSelector).min(1).optional(),
    /** Safe bounds per parameter (see BOUNDABLE_FIELDS). */
    parameters: z.record(z.string().min(1), ParameterBound).default({}),
    /** The safe proposal, possibly templated with {{service}}; must be inside `parameters` and the policy. */
    default_parameters: z.record(z.string().min(1), z.unknown()),
  })
  .strict()
  .superRefine((a, ctx) => {
    const keys = Object.keys(a.parameters);
    if (a.action === 'rds_parameter') {
      if (keys.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['parameters'],
          message: 'rds_parameter needs at least one parameter bound',
        });
      for (const k of keys) {
        const b = a.parameters[k]!;
        if (b.min === undefined || b.max === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['parameters', k],
            message: 'a database parameter needs both min and max',
          });
      }
      return;
    }
    const fields = BOUNDABLE_FIELDS[a.action];
    for (const k of keys) {
      if (!fields.includes(k))
        ctx.addIssue({
          code: 'custom',
          path: ['parameters', k],
          message: `${a.action} has no boundable parameter "${k}" (allowed: ${fields.join(', ')})`,
        });
    }
  });
export type AllowedAction = z.infer<typeof AllowedAction>;

export const RunbookFrontMatter = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{2,63}$/, 'a kebab-case id'),
    title: z.string().min(3).max(200),
    services: z.array(ServiceSelector).min(1),
    /** Short phrases a person would use to describe what they see. */
    symptoms: z.array(z.string().min(2).max(200)).min(1),
    /** Search terms (metric names, log phrases) for the full-text index. Evidence uses the typed signals below. */
    patterns: z.array(z.string().min(2).max(200)).min(1),
    /** Typed signals: metrics, logs, changes, escalate_when, contradicted_by (./signals.ts). */
    ...RunbookSignals,
    allowed_actions: z.array(AllowedAction).default([]),
    /** Escalate-only: no automatic action; a human must act. */
    escalate: z.boolean(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.metrics.length + r.logs.length + r.changes.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['logs'],
        message: 'a runbook must declare at least one signal (metrics, logs or changes)',
      });
    const ids = new Set<string>();
    for (const [n, l] of r.logs.entries()) {
      if (ids.has(l.id))
        ctx.addIssue({
          code: 'custom',
          path: ['logs', n, 'id'],
          message: `duplicate log signal id "${l.id}"`,
        });
      ids.add(l.id);
    }
    for (const [n, c] of r.contradicted_by.entries())
      for (const id of c.only_for_logs ?? [])
        if (!ids.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['contradicted_by', n, 'only_for_logs'],
            message: `no log signal "${id}" in this runbook`,
          });
    if (r.escalate && r.allowed_actions.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['allowed_actions'],
        message: 'an escalate-only runbook (escalate: true) must not allow actions',
      });
    if (!r.escalate && r.allowed_actions.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['allowed_actions'],
        message: 'a runbook that allows no action must say escalate: true',
      });
  });
export type RunbookFrontMatter = z.infer<typeof RunbookFrontMatter>;

/** A loaded runbook: its front matter, its Markdown body, and where it came from. */
export const Runbook = RunbookFrontMatter.and(
  z.object({
    body: z.string(),
    /** File path (folder) or object key (S3) it was read from. */
    source: z.string(),
  }),
);
export type Runbook = z.infer<typeof Runbook>;
