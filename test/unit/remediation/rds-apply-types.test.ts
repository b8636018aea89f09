import { executePlan } from '../../../pipeline/remediation';
import type { IncidentState, RemediationPlan } from '../../../providers/domain';
import { makeIncident, makeRuntime, stateWith, type TestRuntime } from '../workflow/support';

/** The mock behaves like Aurora PostgreSQL: max_connections is static, the session timeouts dynamic. */
let rt: TestRuntime & { advance(ms: number): void };
beforeAll(async () => {
  rt = await makeRuntime();
});
afterAll(() => rt.aws.close());

let n = 0;
const run = (state: IncidentState) =>
  executePlan(rt, { state, execution_key: `apply-types-${++n}`, dry_run: false });
const param = (
  parameter_name: string,
  new_value: number,
  risk: 'low' | 'medium' = 'medium',
): RemediationPlan => ({
  action: 'rds_parameter',
  parameters: { parameter_name, new_value, parameter_group: 'orders-db-params' },
  rationale: '',
  risk,
});
const REBOOT: RemediationPlan = {
  action: 'rds_reboot',
  parameters: { cluster_id: 'orders-db', reason: 'apply max_connections' },
  rationale: '',
  risk: 'high',
};
const approved = (s: IncidentState): IncidentState => ({
  ...s,
  approval: { status: 'approved', decided_by: 'U0APPROVER' },
});

it('the mock refuses ApplyMethod immediate for a static parameter, as RDS does', async () => {
  await expect(rt.aws.rdsParams.setParameter('orders-db-params', 'max_connections', '300')).rejects.toThrow(
    /immediate apply method for static parameter max_connections/,
  );
});

it('a dynamic parameter is applied immediately', async () => {
  // A known current value: with none the ratio cannot be checked and an automatic run is refused (issue 14 row 4).
  await rt.aws.rdsParams.setParameter('orders-db-params', 'idle_in_transaction_session_timeout', '600000');
  const r = await run(
    stateWith(makeIncident(), 0.9, param('idle_in_transaction_session_timeout', 300000, 'low')),
  );
  expect(r.status).toBe('executed');
  expect(r.new_state).toMatchObject({
    apply_type: 'dynamic',
    apply_method: 'immediate',
    pending_reboot: false,
  });
  expect(rt.aws.rdsParams.runningValue('orders-db-params', 'idle_in_transaction_session_timeout')).toBe(
    '300000',
  );
});

it('a static parameter is written pending-reboot; only an approved rds_reboot makes it take effect', async () => {
  const r = await run(stateWith(makeIncident(), 0.9, param('max_connections', 200)));
  expect(r.status).toBe('executed');
  expect(r.new_state).toMatchObject({
    value: '200',
    apply_type: 'static',
    apply_method: 'pending-reboot',
    pending_reboot: true,
    reboot_required: { action: 'rds_reboot', cluster_id: 'orders-db', expected_downtime_seconds: 120 },
  });
  expect(rt.aws.rdsParams.runningValue('orders-db-params', 'max_connections')).toBe('100');
  expect(rt.aws.rdsParams.pendingReboot('orders-db-params')).toEqual(['max_connections']);

  // Confidence alone never reboots, however high.
  const auto = await run(stateWith(makeIncident(), 0.99, REBOOT));
  expect(auto.status).toBe('refused');
  expect(auto.error).toMatch(/only after a person approved/);
  expect(rt.aws.rdsParams.reboots).toHaveLength(0);

  const done = await run(approved(stateWith(makeIncident(), 0.7, REBOOT)));
  expect(done.status).toBe('executed');
  expect(done.rollback_available).toBe(false);
  expect(done.new_state).toMatchObject({
    rebooted_instance_id: 'orders-db-instance-1',
    pending_reboot: false,
  });
  expect(rt.aws.rdsParams.reboots).toEqual([
    expect.objectContaining({ instance_id: 'orders-db-instance-1', applied: ['max_connections'] }),
  ]);
  expect(rt.aws.rdsParams.runningValue('orders-db-params', 'max_connections')).toBe('200');
});

it('a reboot of a cluster outside the policy is refused before anything is read', async () => {
  const r = await run(
    approved(stateWith(makeIncident(), 0.7, { ...REBOOT, parameters: { cluster_id: 'billing-db' } })),
  );
  expect(r.status).toBe('refused');
  expect(r.error).toMatch(/billing-db.*not in the policy/);
});

it('rds_terminate_idle_sessions ends idle sessions within the policy cap and is not reversible', async () => {
  await rt.aws.dbSessions.addSessions([
    { usename: 'app_user', state: 'idle', idle_seconds: 1800 },
    { usename: 'app_user', state: 'idle in transaction', idle_seconds: 1500 },
    { usename: 'app_user', state: 'active', idle_seconds: 1500 },
  ]);
  const plan: RemediationPlan = {
    action: 'rds_terminate_idle_sessions',
    parameters: { cluster_id: 'orders-db', idle_minutes: 10, max_sessions: 25 },
    rationale: '',
    risk: 'low',
  };
  const r = await run(stateWith(makeIncident(), 0.9, plan));
  expect(r.status).toBe('executed');
  expect(r.rollback_available).toBe(false);
  expect(r.new_state).toMatchObject({ terminated: 2, by_state: { idle: 1, 'idle in transaction': 1 } });
  expect(await rt.aws.dbSessions.count()).toBe(1);

  const tooMany = await run(
    stateWith(makeIncident(), 0.9, { ...plan, parameters: { ...plan.parameters, max_sessions: 400 } }),
  );
  expect(tooMany.status).toBe('refused');
  expect(tooMany.error).toMatch(/max_sessions_per_run 50/);
});
