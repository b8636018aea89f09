import { canonicalInteger } from '../../../providers/policy';
import type { Runtime } from '../../../providers/runtime';
import type { Executor, PlanFor } from './types';

/** The text written: the canonical decimal the policy checked, never the raw proposal ("050" ≠ 50). */
const canonicalValue = (plan: PlanFor<'rds_parameter'>) =>
  canonicalInteger(plan.parameters.new_value, plan.parameters.parameter_name);

const groupOf = (rt: Runtime, plan: PlanFor<'rds_parameter'>) =>
  plan.parameters.parameter_group ?? rt.policy.actions.rds_parameter.default_parameter_group;

export const rdsParameter: Executor<'rds_parameter'> = {
  action: 'rds_parameter',
  reversible: true,
  resourceId: (rt, plan) => `rds-param:${groupOf(rt, plan)}/${plan.parameters.parameter_name}`,
  async inspect(rt, plan) {
    const group = groupOf(rt, plan);
    const value = await rt.aws.rdsParams.getParameter(group, plan.parameters.parameter_name);
    return {
      previous_state: {
        parameter_group: group,
        parameter_name: plan.parameters.parameter_name,
        value: value ?? null,
      },
      // Raw: unset or a formula ({DBInstanceClassMemory/…}) must reach the policy as such, not as NaN.
      policy_ctx: { current_raw: value ?? null },
    };
  },
  preview: (rt, plan) => ({
    parameter_group: groupOf(rt, plan),
    parameter_name: plan.parameters.parameter_name,
    value: canonicalValue(plan),
  }),
  async apply(rt, plan) {
    const group = groupOf(rt, plan);
    await rt.aws.rdsParams.setParameter(group, plan.parameters.parameter_name, canonicalValue(plan));
    const now = await rt.aws.rdsParams.getParameter(group, plan.parameters.parameter_name);
    return { parameter_group: group, parameter_name: plan.parameters.parameter_name, value: now ?? null };
  },
  async rollback(rt, plan, previous) {
    const group = String(previous.parameter_group ?? groupOf(rt, plan));
    if (previous.value === null || previous.value === undefined)
      throw new Error(
        `rds_parameter rollback: no recorded previous value of ${plan.parameters.parameter_name}`,
      );
    await rt.aws.rdsParams.setParameter(group, plan.parameters.parameter_name, String(previous.value));
    const now = await rt.aws.rdsParams.getParameter(group, plan.parameters.parameter_name);
    return { parameter_group: group, parameter_name: plan.parameters.parameter_name, value: now ?? null };
  },
  rollbackPlan: (_rt, plan, previous) => ({
    ...plan,
    parameters: {
      ...plan.parameters,
      parameter_group: String(previous.parameter_group ?? plan.parameters.parameter_group),
      // Raw text: the policy refuses a restore to a value that is not a plain integer.
      new_value: previous.value === null || previous.value === undefined ? '' : String(previous.value),
    },
  }),
};
