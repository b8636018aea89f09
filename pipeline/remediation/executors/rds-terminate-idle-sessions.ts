import type { Executor } from './types';
import '../../../providers/aws/clients/db-sessions';

/**
 * Frees connection slots without a reboot: ends sessions idle (or idle in transaction) longer than
 * idle_minutes, at most max_sessions, through the RDS Data API. Never the product's own sessions,
 * superusers or the policy's protected users/applications (see db-sessions/sql.ts). A closed session
 * cannot be reopened by us: the client reconnects when it needs to, so there is no rollback.
 */
export const rdsTerminateIdleSessions: Executor<'rds_terminate_idle_sessions'> = {
  action: 'rds_terminate_idle_sessions',
  reversible: false,
  resourceId: (_rt, plan) => `rds-sessions:${plan.parameters.cluster_id}`,
  inspect: async () => ({ previous_state: {}, policy_ctx: {} }),
  preview: (rt, plan) => {
    const p = rt.policy.actions.rds_terminate_idle_sessions;
    return {
      cluster_id: plan.parameters.cluster_id,
      idle_minutes: plan.parameters.idle_minutes,
      max_sessions: Math.min(plan.parameters.max_sessions, p?.max_sessions_per_run ?? 0),
    };
  },
  async apply(rt, plan) {
    const p = rt.policy.actions.rds_terminate_idle_sessions;
    const cluster = p?.clusters.find((c) => c.cluster_id === plan.parameters.cluster_id);
    if (!p || !cluster)
      throw new Error(
        `rds_terminate_idle_sessions: cluster ${plan.parameters.cluster_id} is not in the policy`,
      );
    const ended = await rt.aws.dbSessions.terminateIdle({
      cluster_id: cluster.cluster_id,
      idle_minutes: Math.max(plan.parameters.idle_minutes, p.min_idle_minutes),
      max_sessions: Math.min(plan.parameters.max_sessions, p.max_sessions_per_run),
      protected_users: p.protected_users,
      protected_applications: p.protected_applications,
      target: {
        resource_arn: cluster.resource_arn,
        secret_arn: cluster.secret_arn,
        database: cluster.database,
      },
    });
    const by: Record<string, number> = {};
    for (const s of ended) if (s.terminated) by[s.state ?? 'unknown'] = (by[s.state ?? 'unknown'] ?? 0) + 1;
    return {
      cluster_id: cluster.cluster_id,
      terminated: ended.filter((s) => s.terminated).length,
      by_state: by,
      // pids and users only: application names and queries can carry customer data.
      sessions: ended
        .slice(0, 50)
        .map((s) => ({ pid: s.pid, usename: s.usename, state: s.state, idle_seconds: s.idle_seconds })),
    };
  },
  async rollback() {
    throw new Error(
      'rds_terminate_idle_sessions cannot be rolled back: ended sessions reconnect on their own',
    );
  },
  rollbackPlan: () => undefined,
};
