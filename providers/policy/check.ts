import type { RemediationPlan } from '../domain';
import type { RemediationPolicy } from './schema';

export type PolicyVerdict = { allowed: true } | { allowed: false; rule: string };

/** Facts about the target that only the executor knows (current value or capacity). */
export interface PolicyContext {
  current_value?: number;
  current_capacity?: number;
}

const deny = (rule: string): PolicyVerdict => ({ allowed: false, rule });

/**
 * Is this plan inside the policy? Pure and static: the agent calls it before a plan leaves the
 * analysis, and the executor calls it again (with the target's current state) right before acting.
 */
export function checkPlan(
  plan: RemediationPlan,
  policy: RemediationPolicy,
  ctx: PolicyContext = {},
): PolicyVerdict {
  switch (plan.action) {
    case 'none':
      return { allowed: true };
    case 'lambda_restart': {
      const allowed = policy.actions.lambda_restart.allowed_functions;
      return allowed.includes(plan.parameters.function_name)
        ? { allowed: true }
        : deny(`lambda_restart: function "${plan.parameters.function_name}" is not in allowed_functions`);
    }
    case 'rds_parameter': {
      const p = policy.actions.rds_parameter;
      const group = plan.parameters.parameter_group ?? p.default_parameter_group;
      if (!p.parameter_groups.includes(group))
        return deny(`rds_parameter: parameter group "${group}" is not allowed`);
      const b = p.parameters[plan.parameters.parameter_name];
      if (!b)
        return deny(`rds_parameter: parameter "${plan.parameters.parameter_name}" is not in the policy`);
      const v = Number(plan.parameters.new_value);
      if (!Number.isFinite(v))
        return deny(`rds_parameter: ${plan.parameters.parameter_name} must be a number`);
      if (v < b.min || v > b.max)
        return deny(`rds_parameter: ${plan.parameters.parameter_name}=${v} is outside ${b.min}–${b.max}`);
      if (b.max_change_ratio && ctx.current_value && ctx.current_value > 0) {
        const ratio = Math.max(v / ctx.current_value, ctx.current_value / v);
        if (ratio > b.max_change_ratio)
          return deny(
            `rds_parameter: changing ${plan.parameters.parameter_name} from ${ctx.current_value} to ${v} exceeds max_change_ratio ${b.max_change_ratio}`,
          );
      }
      return { allowed: true };
    }
    case 'auto_scaling': {
      const a = policy.actions.auto_scaling;
      const t = a.targets.find(
        (x) =>
          x.resource_id === plan.parameters.resource_id && x.resource_type === plan.parameters.resource_type,
      );
      if (!t) return deny(`auto_scaling: target "${plan.parameters.resource_id}" is not in the policy`);
      if (plan.parameters.action !== 'set_desired' && plan.parameters.amount > a.max_step)
        return deny(`auto_scaling: a step of ${plan.parameters.amount} exceeds max_step ${a.max_step}`);
      if (ctx.current_capacity !== undefined) {
        const next = desiredCapacity(ctx.current_capacity, plan.parameters.action, plan.parameters.amount);
        if (Math.abs(next - ctx.current_capacity) > a.max_step)
          return deny(
            `auto_scaling: changing capacity by ${next - ctx.current_capacity} exceeds max_step ${a.max_step}`,
          );
        if (next < t.min_capacity || next > t.max_capacity)
          return deny(`auto_scaling: capacity ${next} is outside ${t.min_capacity}–${t.max_capacity}`);
      } else if (plan.parameters.action === 'set_desired') {
        const n = plan.parameters.amount;
        if (n < t.min_capacity || n > t.max_capacity)
          return deny(`auto_scaling: capacity ${n} is outside ${t.min_capacity}–${t.max_capacity}`);
      }
      return { allowed: true };
    }
    case 'eventbridge_event': {
      const e = policy.actions.eventbridge_event;
      return e.allowed_event_types.includes(plan.parameters.event_type)
        ? { allowed: true }
        : deny(`eventbridge_event: event type "${plan.parameters.event_type}" is not in allowed_event_types`);
    }
    case 'rds_reboot': {
      const r = policy.actions.rds_reboot;
      if (!r) return deny('rds_reboot: not enabled in the policy');
      return r.clusters.some((c) => c.cluster_id === plan.parameters.cluster_id)
        ? { allowed: true }
        : deny(`rds_reboot: cluster "${plan.parameters.cluster_id}" is not in the policy`);
    }
    case 'rds_terminate_idle_sessions': {
      const t = policy.actions.rds_terminate_idle_sessions;
      if (!t) return deny('rds_terminate_idle_sessions: not enabled in the policy');
      if (!t.clusters.some((c) => c.cluster_id === plan.parameters.cluster_id))
        return deny(
          `rds_terminate_idle_sessions: cluster "${plan.parameters.cluster_id}" is not in the policy`,
        );
      if (plan.parameters.idle_minutes < t.min_idle_minutes)
        return deny(
          `rds_terminate_idle_sessions: idle_minutes ${plan.parameters.idle_minutes} is below min_idle_minutes ${t.min_idle_minutes}`,
        );
      if (plan.parameters.max_sessions > t.max_sessions_per_run)
        return deny(
          `rds_terminate_idle_sessions: max_sessions ${plan.parameters.max_sessions} exceeds max_sessions_per_run ${t.max_sessions_per_run}`,
        );
      return { allowed: true };
    }
  }
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
