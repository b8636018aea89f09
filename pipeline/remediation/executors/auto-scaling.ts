import type { Capacity } from '../../../providers/aws/types';
import { desiredCapacity } from '../../../providers/policy';
import type { Executor, PlanFor, StateRecord } from './types';
import '../../../providers/aws/clients/autoscaling';

/** The capacity after the plan; min/max widen just enough to admit the new desired count. */
function target(plan: PlanFor<'auto_scaling'>, before: Capacity): Capacity {
  const desired = desiredCapacity(before.desired, plan.parameters.action, plan.parameters.amount);
  return { desired, min: Math.min(before.min, desired), max: Math.max(before.max, desired) };
}

const asCapacity = (s: StateRecord): Capacity => ({
  desired: Number(s.desired),
  min: Number(s.min),
  max: Number(s.max),
});

export const autoScaling: Executor<'auto_scaling'> = {
  action: 'auto_scaling',
  reversible: true,
  resourceId: (_rt, plan) => `scaling:${plan.parameters.resource_id}`,
  async inspect(rt, plan) {
    const c = await rt.aws.autoScaling.getCapacity(
      plan.parameters.resource_type,
      plan.parameters.resource_id,
    );
    return { previous_state: { ...c }, policy_ctx: { current_capacity: c.desired } };
  },
  preview: (_rt, plan, before) => ({ ...target(plan, asCapacity(before.previous_state)) }),
  async apply(rt, plan, before) {
    const next = target(plan, asCapacity(before.previous_state));
    const c = await rt.aws.autoScaling.setCapacity(
      plan.parameters.resource_type,
      plan.parameters.resource_id,
      next,
    );
    return { ...c };
  },
  async rollback(rt, plan, previous) {
    const c = await rt.aws.autoScaling.setCapacity(
      plan.parameters.resource_type,
      plan.parameters.resource_id,
      asCapacity(previous),
    );
    return { ...c };
  },
  rollbackPlan: (_rt, plan, previous) => ({
    ...plan,
    parameters: { ...plan.parameters, action: 'set_desired', amount: Number(previous.desired) },
  }),
};
