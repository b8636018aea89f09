import type { Executor } from './types';
import '../../../providers/aws/clients/rds-params';

/**
 * Reboots a cluster's writer so `pending-reboot` parameters take effect. The instance is unavailable
 * for about the policy's expected_downtime_seconds, so the policy lists it in approval_only_actions
 * (executePlan refuses it without an approval) and nothing can undo it.
 */
export const rdsReboot: Executor<'rds_reboot'> = {
  action: 'rds_reboot',
  reversible: false,
  resourceId: (_rt, plan) => `rds-cluster:${plan.parameters.cluster_id}`,
  async inspect(rt, plan) {
    const cfg = rt.policy.actions.rds_reboot?.clusters.find(
      (c) => c.cluster_id === plan.parameters.cluster_id,
    );
    const w = await rt.aws.rdsParams.clusterWriter(plan.parameters.cluster_id);
    // Fail closed: the writer must be an instance the policy (and IAM) names.
    if (!cfg?.instance_ids.includes(w.instance_id))
      throw new Error(
        `rds_reboot: writer ${w.instance_id} of ${plan.parameters.cluster_id} is not in the policy's instance_ids`,
      );
    return {
      previous_state: {
        cluster_id: w.cluster_id,
        writer_instance_id: w.instance_id,
        status: w.status,
        parameter_group: w.parameter_group ?? null,
        pending_reboot: w.pending_reboot,
      },
      policy_ctx: {},
    };
  },
  preview: (rt, _plan, before) => ({
    reboot_instance_id: before.previous_state.writer_instance_id,
    expected_downtime_seconds: rt.policy.actions.rds_reboot?.expected_downtime_seconds ?? null,
  }),
  async apply(rt, plan, before) {
    const instance_id = String(before.previous_state.writer_instance_id);
    await rt.aws.rdsParams.rebootInstance(instance_id);
    const after = await rt.aws.rdsParams.clusterWriter(plan.parameters.cluster_id);
    return {
      rebooted_instance_id: instance_id,
      rebooted_at: rt.now().toISOString(),
      expected_downtime_seconds: rt.policy.actions.rds_reboot?.expected_downtime_seconds ?? null,
      status: after.status,
      pending_reboot: after.pending_reboot,
    };
  },
  async rollback() {
    throw new Error('rds_reboot cannot be rolled back: a reboot cannot be undone');
  },
  rollbackPlan: () => undefined,
};
