import type { RemediationPlan } from '../domain';
import type { RemediationPolicy } from './schema';
import { bindToService, checkTargets, type OwnedResources } from './targets';
import { parsePlainInteger, readCurrentValue } from './values';

export type PolicyVerdict = { allowed: true } | { allowed: false; rule: string };

/** Facts about the target that only the executor knows (current value or capacity), and whose it is. */
export interface PolicyContext {
  /** A current value known to be a plain number (kept for callers that parsed it already). */
  current_value?: number;
  /**
   * The current value as the engine reports it. `null` = read and unset; a formula or other text =
   * read and not a number. Either way the ratio cannot be checked and the plan is capped at approval.
   */
  current_raw?: string | null;
  current_capacity?: number;
  /**
   * A rollback restoring the exact text history recorded (e.g. an engine formula): a value that is
   * not a plain integer is then allowed, unchecked against bounds and ratio, and capped at approval.
   */
  restoring?: boolean;
  /** Why the current value was not read at all (e.g. a dry run without it): the ratio is unchecked. */
  current_missing?: string;
  /** The incident's service: when given, the plan may touch only its catalogued resources. */
  service_name?: string;
  service?: OwnedResources;
}

/** The most the policy lets a plan do on its own: auto, only with a person's approval, or nothing. */
export type RouteCap = 'auto' | 'approval' | 'escalate';

export interface PlanEvaluation {
  allowed: boolean;
  /** Every rule the plan breaks ([] when allowed). */
  reasons: string[];
  route_cap: RouteCap;
  /** Why the cap is below auto. */
  cap_reasons: string[];
  /** The plan with catalog defaults filled in (what the executor acts on). */
  plan: RemediationPlan;
}

/**
 * Is this plan inside the policy (and, with a service, inside that service's resources)? Pure and
 * static: the agent calls it before a plan leaves the analysis, and the executor calls it again
 * (with the target's current state) right before acting. Collects every reason, not the first.
 */
export function evaluatePlan(
  input: RemediationPlan,
  policy: RemediationPolicy,
  ctx: PolicyContext = {},
): PlanEvaluation {
  const plan = ctx.service_name !== undefined ? bindToService(input, ctx.service) : input;
  const reasons: string[] = [];
  const cap_reasons: string[] = [];
  if (ctx.service_name !== undefined) reasons.push(...checkTargets(plan, ctx.service_name, ctx.service));
  switch (plan.action) {
    case 'none':
      break;
    case 'lambda_restart': {
      if (!policy.actions.lambda_restart.allowed_functions.includes(plan.parameters.function_name))
        reasons.push(
          `lambda_restart: function "${plan.parameters.function_name}" is not in allowed_functions`,
        );
      break;
    }
    case 'rds_parameter': {
      const p = policy.actions.rds_parameter;
      const name = plan.parameters.parameter_name;
      const group = plan.parameters.parameter_group ?? p.default_parameter_group;
      if (!p.parameter_groups.includes(group))
        reasons.push(`rds_parameter: parameter group "${group}" is not allowed`);
      const b = p.parameters[name];
      if (!b) {
        reasons.push(`rds_parameter: parameter "${name}" is not in the policy`);
        break;
      }
      const parsed = parsePlainInteger(plan.parameters.new_value, name);
      if (!parsed.ok && ctx.restoring && String(plan.parameters.new_value).trim() !== '') {
        cap_reasons.push(
          `restoring the recorded ${name}=${String(plan.parameters.new_value).slice(0, 80)} (not a plain number): bounds and max_change_ratio not checked, so a person must approve`,
        );
        break;
      }
      if (!parsed.ok) {
        reasons.push(`rds_parameter: ${parsed.reason}`);
        break;
      }
      const v = parsed.value;
      const unit = b.unit ? ` ${b.unit}` : '';
      if (v < b.min || v > b.max)
        reasons.push(`rds_parameter: ${name}=${v} is outside ${b.min}–${b.max}${unit}`);
      if (!b.max_change_ratio) break;
      let current: number | undefined = ctx.current_value;
      if (ctx.current_missing && current === undefined && ctx.current_raw === undefined)
        cap_reasons.push(
          `${ctx.current_missing}: max_change_ratio ${b.max_change_ratio} cannot be checked, so a person must approve`,
        );
      else if (ctx.current_raw !== undefined) {
        const c = readCurrentValue(ctx.current_raw, name);
        if (c.known) current = c.value;
        else {
          current = undefined;
          cap_reasons.push(
            `${c.why}: max_change_ratio ${b.max_change_ratio} cannot be checked, so a person must approve`,
          );
        }
      }
      if (current !== undefined && current <= 0)
        cap_reasons.push(
          `the current value of ${name} is ${current}: max_change_ratio cannot be checked, so a person must approve`,
        );
      else if (current !== undefined && v <= 0)
        reasons.push(
          `rds_parameter: ${name}=${v} cannot be reached within max_change_ratio ${b.max_change_ratio}`,
        );
      else if (current !== undefined) {
        const ratio = Math.max(v / current, current / v);
        if (ratio > b.max_change_ratio)
          reasons.push(
            `rds_parameter: changing ${name} from ${current} to ${v}${unit} exceeds max_change_ratio ${b.max_change_ratio}`,
          );
      }
      break;
    }
    case 'auto_scaling': {
      const a = policy.actions.auto_scaling;
      const t = a.targets.find(
        (x) =>
          x.resource_id === plan.parameters.resource_id && x.resource_type === plan.parameters.resource_type,
      );
      if (!t) {
        reasons.push(`auto_scaling: target "${plan.parameters.resource_id}" is not in the policy`);
        break;
      }
      if (plan.parameters.action !== 'set_desired' && plan.parameters.amount > a.max_step)
        reasons.push(`auto_scaling: a step of ${plan.parameters.amount} exceeds max_step ${a.max_step}`);
      if (ctx.current_capacity !== undefined) {
        const next = desiredCapacity(ctx.current_capacity, plan.parameters.action, plan.parameters.amount);
        if (Math.abs(next - ctx.current_capacity) > a.max_step)
          reasons.push(
            `auto_scaling: changing capacity by ${next - ctx.current_capacity} exceeds max_step ${a.max_step}`,
          );
        if (next < t.min_capacity || next > t.max_capacity)
          reasons.push(`auto_scaling: capacity ${next} is outside ${t.min_capacity}–${t.max_capacity}`);
      } else if (plan.parameters.action === 'set_desired') {
        const n = plan.parameters.amount;
        if (n < t.min_capacity || n > t.max_capacity)
          reasons.push(`auto_scaling: capacity ${n} is outside ${t.min_capacity}–${t.max_capacity}`);
      }
      break;
    }
    case 'eventbridge_event': {
      const e = policy.actions.eventbridge_event;
      if (!e.allowed_event_types.includes(plan.parameters.event_type))
        reasons.push(
          `eventbridge_event: event type "${plan.parameters.event_type}" is not in allowed_event_types`,
        );
      break;
    }
    case 'rds_reboot': {
      const r = policy.actions.rds_reboot;
      if (!r) reasons.push('rds_reboot: not enabled in the policy');
      else if (!r.clusters.some((c) => c.cluster_id === plan.parameters.cluster_id))
        reasons.push(`rds_reboot: cluster "${plan.parameters.cluster_id}" is not in the policy`);
      break;
    }
    case 'rds_terminate_idle_sessions': {
      const t = policy.actions.rds_terminate_idle_sessions;
      if (!t) {
        reasons.push('rds_terminate_idle_sessions: not enabled in the policy');
        break;
      }
      if (!t.clusters.some((c) => c.cluster_id === plan.parameters.cluster_id))
        reasons.push(
          `rds_terminate_idle_sessions: cluster "${plan.parameters.cluster_id}" is not in the policy`,
        );
      if (plan.parameters.idle_minutes < t.min_idle_minutes)
        reasons.push(
          `rds_terminate_idle_sessions: idle_minutes ${plan.parameters.idle_minutes} is below min_idle_minutes ${t.min_idle_minutes}`,
        );
      if (plan.parameters.max_sessions > t.max_sessions_per_run)
        reasons.push(
          `rds_terminate_idle_sessions: max_sessions ${plan.parameters.max_sessions} exceeds max_sessions_per_run ${t.max_sessions_per_run}`,
        );
      break;
    }
  }
  const allowed = reasons.length === 0;
  const route_cap: RouteCap = !allowed ? 'escalate' : cap_reasons.length ? 'approval' : 'auto';
  return { allowed, reasons, route_cap, cap_reasons, plan };
}

/** The first rule a plan breaks (compatibility with callers that show one). */
export function checkPlan(
  plan: RemediationPlan,
  policy: RemediationPolicy,
  ctx: PolicyContext = {},
): PolicyVerdict {
  const r = evaluatePlan(plan, policy, ctx);
  return r.allowed ? { allowed: true } : { allowed: false, rule: r.reasons[0]! };
}

/** Actions the policy lets run only after a person approved them (a reboot means downtime). */
export function requiresApproval(plan: RemediationPlan, policy: RemediationPolicy): boolean {
  return plan.action !== 'none' && policy.approval_only_actions.includes(plan.action);
}

export function desiredCapacity(
  current: number,
  action: 'scale_out' | 'scale_in' | 'set_desired',
  amount: number,
): number {
  if (action === 'scale_out') return current + amount;
  if (action === 'scale_in') return Math.max(0, current - amount);
  return amount;
}
