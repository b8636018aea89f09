import type { Runtime } from '../../../providers/runtime';
import type { Executor, PlanFor } from './types';
import '../../../providers/aws/clients/rds-params';

const groupOf = (rt: Runtime, plan: PlanFor<'rds_parameter'>) =>
  plan.parameters.parameter_group ?? rt.policy.actions.rds_parameter.default_parameter_group;

export const rdsParameter: Executor<'rds_parameter'> = {
  action: 'rds_parameter',
  reversible: true,
  resourceId: (rt, plan) => `rds-param:${groupOf(rt, plan)}/${plan.parameters.parameter_name}`,
  async inspect(rt, plan) {
    const group = groupOf(rt, plan);
    const value = await rt.aws.rdsParams.getParameter(group, plan.parameters.parameter_name);
    const n = value === undefined ? Number.NaN : Number(value);
    return {
      previous_state: {
        parameter_group: group,
        parameter_name: plan.parameters.parameter_name,
        value: value ?? null,
      },
      policy_ctx: Number.isFinite(n) ? { current_value: n } : {},
    };
  },
  preview: (rt, plan) => ({
    parameter_group: groupOf(rt, plan),
    parameter_name: plan.parameters.parameter_name,
    value: String(plan.parameters.new_value),
  }),
  async apply(rt, plan) {
    const group = groupOf(rt, plan);
    await rt.aws.rdsParams.setParameter(
      group,
      plan.parameters.parameter_name,
      String(plan.parameters.new_value),
    );
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
      new_value: Number(previous.value),
    },
  }),
};
