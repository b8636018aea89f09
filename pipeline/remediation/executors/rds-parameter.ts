import type { ParameterApplyMethod } from '../../../providers/aws/types';
import { canonicalInteger } from '../../../providers/policy';
import type { Runtime } from '../../../providers/runtime';
import type { Executor, PlanFor } from './types';
import '../../../providers/aws/clients/rds-params';

/** The text written: the canonical decimal the policy checked, never the raw proposal ("050" ≠ 50). */
const canonicalValue = (plan: PlanFor<'rds_parameter'>) =>
  canonicalInteger(plan.parameters.new_value, plan.parameters.parameter_name);

const groupOf = (rt: Runtime, plan: PlanFor<'rds_parameter'>) =>
  plan.parameters.parameter_group ?? rt.policy.actions.rds_parameter.default_parameter_group;

/** RDS's rule: dynamic parameters may apply immediately; static ones only at the next reboot. */
const methodFor = (apply_type: unknown): ParameterApplyMethod =>
  apply_type === 'dynamic' ? 'immediate' : 'pending-reboot';

/** The policy cluster whose writer runs this parameter group (the reboot that would apply a static change). */
async function clusterUsing(rt: Runtime, group: string): Promise<string | undefined> {
  for (const c of rt.policy.actions.rds_reboot?.clusters ?? []) {
    const w = await rt.aws.rdsParams.clusterWriter(c.cluster_id).catch(() => undefined);
    if (w?.parameter_group === group) return c.cluster_id;
  }
  return undefined;
}

/**
 * Sets one parameter with the ApplyMethod its ApplyType allows. A static parameter is written
 * `pending-reboot`: the group holds the new value, the engine keeps the old one until the writer is
 * rebooted — a separate `rds_reboot` action that needs a person's approval. The result says so.
 */
export const rdsParameter: Executor<'rds_parameter'> = {
  action: 'rds_parameter',
  reversible: true,
  resourceId: (rt, plan) => `rds-param:${groupOf(rt, plan)}/${plan.parameters.parameter_name}`,
  async inspect(rt, plan) {
    const group = groupOf(rt, plan);
    const info = await rt.aws.rdsParams.describeParameter(group, plan.parameters.parameter_name);
    const value = info?.value;
    return {
      previous_state: {
        parameter_group: group,
        parameter_name: plan.parameters.parameter_name,
        value: value ?? null,
        apply_type: info?.apply_type ?? 'static',
      },
      // Raw: unset or a formula ({DBInstanceClassMemory/…}) must reach the policy as such, not as NaN.
      policy_ctx: { current_raw: value ?? null },
    };
  },
  preview: (rt, plan, before) => ({
    parameter_group: groupOf(rt, plan),
    parameter_name: plan.parameters.parameter_name,
    value: canonicalValue(plan),
    apply_method: methodFor(before.previous_state.apply_type),
  }),
  async apply(rt, plan, before) {
    const group = groupOf(rt, plan);
    const apply_method = methodFor(before.previous_state.apply_type);
    await rt.aws.rdsParams.setParameter(
      group,
      plan.parameters.parameter_name,
      canonicalValue(plan),
      apply_method,
    );
    const now = await rt.aws.rdsParams.getParameter(group, plan.parameters.parameter_name);
    const state: Record<string, unknown> = {
      parameter_group: group,
      parameter_name: plan.parameters.parameter_name,
      value: now ?? null,
      apply_type: before.previous_state.apply_type,
      apply_method,
      pending_reboot: apply_method === 'pending-reboot',
    };
    if (apply_method === 'pending-reboot') {
      const cluster_id = await clusterUsing(rt, group);
      state.reboot_required = {
        action: 'rds_reboot',
        cluster_id: cluster_id ?? null,
        expected_downtime_seconds: rt.policy.actions.rds_reboot?.expected_downtime_seconds ?? null,
        approval: 'required',
      };
    }
    return state;
  },
  async rollback(rt, plan, previous) {
    const group = String(previous.parameter_group ?? groupOf(rt, plan));
    if (previous.value === null || previous.value === undefined)
      throw new Error(
        `rds_parameter rollback: no recorded previous value of ${plan.parameters.parameter_name}`,
      );
    const info = await rt.aws.rdsParams.describeParameter(group, plan.parameters.parameter_name);
    const apply_method = methodFor(info?.apply_type ?? previous.apply_type);
    await rt.aws.rdsParams.setParameter(
      group,
      plan.parameters.parameter_name,
      String(previous.value),
      apply_method,
    );
    const now = await rt.aws.rdsParams.getParameter(group, plan.parameters.parameter_name);
    return {
      parameter_group: group,
      parameter_name: plan.parameters.parameter_name,
      value: now ?? null,
      apply_method,
    };
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
