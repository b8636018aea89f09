import type { ActionPlan, ActionType, Incident, RemediationPlan } from '../../providers/domain';
import { evaluatePlan, type PolicyContext, type RouteCap, requiresApproval } from '../../providers/policy';
import type { Runtime } from '../../providers/runtime';
import { type Executor, executorFor } from './executors';

/**
 * Actions whose policy check depends on a current value that may be unreadable as a number (unset,
 * an engine formula): only these are read at analysis. Other reads stay with the executor (and its
 * IAM); the execution re-checks every plan against the live target anyway.
 */
const READ_AT_ANALYSIS: ReadonlySet<ActionType> = new Set(['rds_parameter']);

export interface AnalysisCap {
  route_cap: RouteCap;
  cap_reasons: string[];
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The most the policy lets this plan do on its own, judged with the target's current state when the
 * incident is routed (issue 14 row 4): a ratio it cannot check caps the route at approval, so the
 * plan goes to a person instead of being refused at execution. Reading fails closed (approval).
 * Only an `approval` cap is reported: a plan the policy refuses is refused (and escalated) by the
 * execution, with its rule.
 */
export async function capAtAnalysis(
  rt: Runtime,
  incident: Incident,
  proposed: RemediationPlan,
): Promise<AnalysisCap> {
  const auto: AnalysisCap = { route_cap: 'auto', cap_reasons: [] };
  // Approval-only actions (a reboot means downtime) go to a person, whatever the confidence.
  if (proposed.action !== 'none' && requiresApproval(proposed, rt.policy))
    return {
      route_cap: 'approval',
      cap_reasons: [`${proposed.action} runs only after a person approved it (policy approval_only_actions)`],
    };
  if (proposed.action === 'none' || !READ_AT_ANALYSIS.has(proposed.action)) return auto;
  const owner = {
    service_name: incident.service,
    service: rt.services.find((s) => s.name === incident.service),
  };
  const staticEval = evaluatePlan(proposed, rt.policy, owner);
  if (!staticEval.allowed) return auto;
  const plan = staticEval.plan as ActionPlan;
  const executor = executorFor(plan.action) as Executor<ActionPlan['action']>;
  let policy_ctx: PolicyContext;
  try {
    policy_ctx = (await executor.inspect(rt, plan as never)).policy_ctx;
  } catch (e) {
    policy_ctx = { current_missing: `the current value could not be read (${msg(e).slice(0, 200)})` };
  }
  const v = evaluatePlan(plan, rt.policy, { ...policy_ctx, ...owner });
  return v.route_cap === 'approval' ? { route_cap: 'approval', cap_reasons: v.cap_reasons } : auto;
}
