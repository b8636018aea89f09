import {
  type RemediationPlan,
  RemediationPlan as RemediationPlanSchema,
  type ServiceResources,
} from '../../providers/domain';
import { checkTargets } from '../../providers/policy';
import type { AllowedAction, ParameterBound, Runbook } from './schema';

/** What the runbook-side check says about a plan. */
export interface ActionVerdict {
  allowed: boolean;
  reason?: string;
}

/** The service an incident is about, as far as runbooks care. */
export interface ServiceRef {
  name: string;
  kind?: string;
  /**
   * What the service owns (from the catalog). When given, a plan may touch only these, and a
   * runbook's defaults are resolved from them rather than from the runbook's text.
   */
  resources?: ServiceResources;
}

/**
 * A runbook default resolved against the catalog: the target is the service's own resource, never
 * whatever the runbook text (or a `{{service}}` naming convention) spells. Undefined when the service
 * owns nothing the action could touch.
 */
function resolveFromCatalog(plan: RemediationPlan, service: ServiceRef): RemediationPlan | undefined {
  const r = service.resources;
  if (!r) return plan;
  switch (plan.action) {
    case 'lambda_restart': {
      if (r.functions.includes(plan.parameters.function_name)) return plan;
      const [only] = r.functions;
      return r.functions.length === 1 && only
        ? { ...plan, parameters: { ...plan.parameters, function_name: only } }
        : undefined;
    }
    case 'rds_parameter':
      return r.parameter_group
        ? { ...plan, parameters: { ...plan.parameters, parameter_group: r.parameter_group } }
        : undefined;
    case 'auto_scaling': {
      if (r.scalable_targets.some((t) => t.resource_id === plan.parameters.resource_id)) return plan;
      const fits = r.scalable_targets.filter(
        (t) => plan.parameters.resource_type !== 'ecs_service' || t.service_namespace === 'ecs',
      );
      const [only] = fits;
      return fits.length === 1 && only
        ? { ...plan, parameters: { ...plan.parameters, resource_id: only.resource_id } }
        : undefined;
    }
    default:
      return plan;
  }
}

const PLACEHOLDER = /\{\{\s*service\s*\}\}/g;

/** Does a selector list (names, kinds, "*") cover this service? */
export function coversService(selectors: readonly string[], service: ServiceRef): boolean {
  return selectors.some(
    (s) => s === '*' || s === service.name || (service.kind !== undefined && s === service.kind),
  );
}

function fillTemplates(value: unknown, service: string): unknown {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, service);
  if (Array.isArray(value)) return value.map((v) => fillTemplates(v, service));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillTemplates(v, service)]));
  return value;
}

function checkBound(
  field: string,
  value: unknown,
  b: ParameterBound,
  service: string | undefined,
): string | undefined {
  if (b.one_of) {
    const allowed = b.one_of.map((v) => (service === undefined ? v : fillTemplates(v, service)));
    if (!allowed.some((v) => v === value || (typeof v === 'number' && Number(value) === v)))
      return `${field}=${JSON.stringify(value)} is not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (b.min !== undefined || b.max !== undefined) {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return `${field} must be a number`;
    if (b.min !== undefined && n < b.min) return `${field}=${n} is below the runbook's minimum ${b.min}`;
    if (b.max !== undefined && n > b.max) return `${field}=${n} is above the runbook's maximum ${b.max}`;
  }
  return undefined;
}

/** Checks one plan against one allowed action's bounds; the reason names the parameter that broke them. */
export function checkAgainstAction(
  allowed: AllowedAction,
  plan: Exclude<RemediationPlan, { action: 'none' }>,
  service?: string,
): string | undefined {
  if (plan.action === 'rds_parameter') {
    const name = plan.parameters.parameter_name;
    const b = allowed.parameters[name];
    if (!b)
      return `rds_parameter: parameter "${name}" is not one this runbook allows (${Object.keys(allowed.parameters).join(', ')})`;
    const why = checkBound(name, plan.parameters.new_value, b, service);
    return why ? `rds_parameter: ${why}` : undefined;
  }
  const params = plan.parameters as Record<string, unknown>;
  for (const [field, b] of Object.entries(allowed.parameters)) {
    const why = checkBound(field, params[field], b, service);
    if (why) return `${plan.action}: ${why}`;
  }
  return undefined;
}

/**
 * Does this runbook allow this plan? The action must be one it lists and every parameter inside that
 * action's bounds. `none` is always allowed (doing nothing needs no permission). This is the runbook
 * half of the guard; the remediation policy (`checkPlan`) is the other half and is checked separately.
 * With `opts.service`, templated bounds ({{service}}) are filled and the action must apply to that service.
 */
export function runbookAllows(
  runbook: Runbook,
  plan: RemediationPlan,
  opts: { service?: ServiceRef } = {},
): ActionVerdict {
  if (plan.action === 'none') return { allowed: true };
  if (runbook.escalate)
    return {
      allowed: false,
      reason: `runbook ${runbook.id} is escalate-only: it allows no automatic action`,
    };
  let candidates = runbook.allowed_actions.filter((a) => a.action === plan.action);
  if (candidates.length === 0)
    return {
      allowed: false,
      reason: `runbook ${runbook.id} does not allow ${plan.action} (it allows ${runbook.allowed_actions.map((a) => a.action).join(', ')})`,
    };
  const svc = opts.service;
  if (svc) {
    candidates = candidates.filter((a) => coversService(a.services ?? runbook.services, svc));
    if (candidates.length === 0)
      return {
        allowed: false,
        reason: `runbook ${runbook.id} does not allow ${plan.action} for service ${svc.name}`,
      };
  }
  // The target must be the incident's own service's resource (checked before the bounds).
  if (svc?.resources) {
    const wrong = checkTargets(plan, svc.name, { name: svc.name, resources: svc.resources });
    if (wrong.length) return { allowed: false, reason: wrong.join('; ') };
  }
  // Several entries may share an action: for rds_parameter, the one bounding this parameter speaks first.
  if (plan.action === 'rds_parameter') {
    const name = plan.parameters.parameter_name;
    candidates = [...candidates].sort((x, y) => Number(name in y.parameters) - Number(name in x.parameters));
  }
  let firstReason: string | undefined;
  for (const a of candidates) {
    const why = checkAgainstAction(a, plan, svc?.name);
    if (!why) return { allowed: true };
    firstReason ??= why;
  }
  return { allowed: false, reason: `runbook ${runbook.id}: ${firstReason}` };
}

/**
 * The runbook's safe proposals for one service: each allowed action that applies to it, with
 * {{service}} filled in and targets resolved from the catalog's resources, as a validated
 * RemediationPlan (risk and runbook_id set). Proposals that do not form a valid plan for this
 * service, or would touch another service's resources, are left out.
 */
export function proposalsFor(runbook: Runbook, service: ServiceRef): RemediationPlan[] {
  const plans: RemediationPlan[] = [];
  for (const a of runbook.allowed_actions) {
    if (!coversService(a.services ?? runbook.services, service)) continue;
    const r = RemediationPlanSchema.safeParse({
      action: a.action,
      parameters: fillTemplates(a.default_parameters, service.name),
      risk: a.risk,
      runbook_id: runbook.id,
      rationale: `Runbook "${runbook.title}": default safe action for ${service.name}`,
    });
    if (!r.success) continue;
    const bound = resolveFromCatalog(r.data, service);
    if (!bound) continue;
    if (
      service.resources &&
      checkTargets(bound, service.name, { name: service.name, resources: service.resources }).length
    )
      continue;
    plans.push(bound);
  }
  return plans;
}

/** Validates one allowed action's default proposal (with a sample service name) against the schema and its own bounds. */
export function checkDefaultProposal(
  a: AllowedAction,
  sampleService: string,
): { path: string; message: string } | undefined {
  const r = RemediationPlanSchema.safeParse({
    action: a.action,
    parameters: fillTemplates(a.default_parameters, sampleService),
    risk: a.risk,
  });
  if (!r.success) {
    const i = r.error.issues[0]!;
    const sub = i.path[0] === 'parameters' ? i.path.slice(1) : i.path;
    return { path: ['default_parameters', ...sub].join('.'), message: i.message };
  }
  if (r.data.action === 'none') return { path: 'action', message: 'an allowed action cannot be "none"' };
  const why = checkAgainstAction(a, r.data, sampleService);
  return why
    ? { path: 'default_parameters', message: `outside this action's own bounds: ${why}` }
    : undefined;
}
