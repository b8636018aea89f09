import { executePlan, rollbackExecution, verifySignal } from '../../../pipeline/remediation';
import { createRemediationHistoryStore } from '../../../pipeline/state';
import type { IncidentState, RemediationPlan } from '../../../providers/domain';
import { makeIncident, makeRuntime, seedConnections, stateWith, type TestRuntime } from '../workflow/support';

let rt: TestRuntime & { advance(ms: number): void };
beforeAll(async () => {
  rt = await makeRuntime();
});
afterAll(async () => {
  await rt.aws.close();
});

let n = 0;
const key = () => `exec-${Date.now()}-${++n}`;
/** An incident on the service that owns the plan's target (a plan may touch only its own service). */
const incidentOn = (service: string) => makeIncident({ service });
const run = (state: IncidentState, dry_run = false, execution_key = key()) =>
  executePlan(rt, { state, execution_key, dry_run });

/** Per executor: how to read the target's observable state, a plan inside and outside the policy. */
const cases: {
  name: string;
  service: string;
  plan: RemediationPlan;
  outside: RemediationPlan;
  rule: RegExp;
  read: () => Promise<unknown>;
}[] = [
  {
    name: 'lambda_restart',
    service: 'payments-api',
    plan: {
      action: 'lambda_restart',
      parameters: { function_name: 'payments-api' },
      rationale: '',
      risk: 'low',
    },
    outside: {
      action: 'lambda_restart',
      parameters: { function_name: 'billing-core' },
      rationale: '',
      risk: 'low',
    },
    rule: /billing-core.*allowed_functions/,
    read: async () => (await rt.aws.lambda.getFunction('payments-api')).environment,
  },
  {
    name: 'rds_parameter',
    service: 'orders-db',
    plan: {
      action: 'rds_parameter',
      parameters: { parameter_name: 'max_connections', new_value: 150, parameter_group: 'orders-db-params' },
      rationale: '',
      risk: 'medium',
    },
    outside: {
      action: 'rds_parameter',
      parameters: { parameter_name: 'max_connections', new_value: 9000, parameter_group: 'orders-db-params' },
      rationale: '',
      risk: 'medium',
    },
    rule: /max_connections=9000 is outside 50–5000/,
    read: () => rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections'),
  },
  {
    name: 'auto_scaling',
    service: 'stream-consumer',
    plan: {
      action: 'auto_scaling',
      parameters: {
        resource_type: 'ecs_service',
        resource_id: 'service/bdp-cluster/stream-consumer',
        action: 'scale_out',
        amount: 2,
      },
      rationale: '',
      risk: 'low',
    },
    outside: {
      action: 'auto_scaling',
      parameters: {
        resource_type: 'ecs_service',
        resource_id: 'service/bdp-cluster/stream-consumer',
        action: 'scale_out',
        amount: 6,
      },
      rationale: '',
      risk: 'low',
    },
    rule: /step of 6 exceeds max_step 4/,
    read: () => rt.aws.autoScaling.getCapacity('ecs_service', 'service/bdp-cluster/stream-consumer'),
  },
];

describe.each(cases)('$name executor', ({ service, plan, outside, rule, read }) => {
  const makeIncident = () => incidentOn(service);
  it('dry run changes nothing but records what it would do', async () => {
    const before = await read();
    const r = await run(stateWith(makeIncident(), 0.9, plan), true);
    expect(r.status).toBe('dry_run');
    expect(r.new_state).toBeDefined();
    expect(await read()).toEqual(before);
    const row = await createRemediationHistoryStore(rt).get(r.resource_id, r.execution_time);
    expect(row?.dry_run).toBe(true);
  });

  it('a real run records the previous state, and rollback restores it exactly once', async () => {
    const before = await read();
    const r = await run(stateWith(makeIncident(), 0.9, plan));
    expect(r.status).toBe('executed');
    expect(r.rollback_available).toBe(true);
    expect(r.previous_state).toBeDefined();
    expect(await read()).not.toEqual(before);
    const row = await createRemediationHistoryStore(rt).get(r.resource_id, r.execution_time);
    expect(row).toMatchObject({
      status: 'executed',
      previous_state: r.previous_state,
      rollback_available: true,
    });

    const back = await rollbackExecution(rt, {
      resource_id: r.resource_id,
      execution_time: r.execution_time,
      actor: 'U0APPROVER',
    });
    expect(back.outcome).toBe('rolled_back');
    expect(await read()).toEqual(before);
    const again = await rollbackExecution(rt, {
      resource_id: r.resource_id,
      execution_time: r.execution_time,
      actor: 'U0APPROVER',
    });
    expect(again.outcome).toBe('not_available');
    expect(
      rt.aws.events.published.some(
        (e) => e.detail_type === 'Remediation Rolled Back' && e.detail.resource_id === r.resource_id,
      ),
    ).toBe(true);
  });

  it('a plan outside the policy is refused with the rule it broke, and nothing changes', async () => {
    const before = await read();
    const r = await run(stateWith(makeIncident(), 0.9, outside));
    expect(r.status).toBe('refused');
    expect(r.error).toMatch(rule);
    expect(await read()).toEqual(before);
  });
});

describe('eventbridge_event executor', () => {
  const makeIncident = () => incidentOn('ingest-worker');
  const plan: RemediationPlan = {
    action: 'eventbridge_event',
    parameters: { event_type: 'PAUSE_INGESTION', detail: { service: 'ingest-worker' } },
    rationale: '',
    risk: 'low',
  };
  const published = () => rt.aws.events.published.filter((e) => e.detail_type === 'PAUSE_INGESTION').length;

  it('dry run publishes nothing; a real run publishes once and cannot be rolled back', async () => {
    const start = published();
    expect((await run(stateWith(makeIncident(), 0.9, plan), true)).status).toBe('dry_run');
    expect(published()).toBe(start);
    const r = await run(stateWith(makeIncident(), 0.9, plan));
    expect(r.status).toBe('executed');
    expect(published()).toBe(start + 1);
    expect(r.rollback_available).toBe(false);
    const back = await rollbackExecution(rt, {
      resource_id: r.resource_id,
      execution_time: r.execution_time,
      actor: 'U0APPROVER',
    });
    expect(back.outcome).toBe('not_available');
  });

  it('an event type outside the policy is refused naming allowed_event_types', async () => {
    const r = await run(
      stateWith(makeIncident(), 0.9, { ...plan, parameters: { event_type: 'DROP_TABLES', detail: {} } }),
    );
    expect(r.status).toBe('refused');
    expect(r.error).toMatch(/DROP_TABLES.*allowed_event_types/);
  });
});

describe('guardrails', () => {
  const plan: RemediationPlan = {
    action: 'auto_scaling',
    parameters: {
      resource_type: 'ecs_service',
      resource_id: 'service/bdp-cluster/ingest-worker',
      action: 'scale_out',
      amount: 1,
    },
    rationale: '',
    risk: 'low',
  };

  it('a retried task with the same execution key acts once and returns the recorded result', async () => {
    const state = stateWith(makeIncident(), 0.9, {
      action: 'rds_parameter',
      parameters: { parameter_name: 'work_mem', new_value: 8192, parameter_group: 'orders-db-params' },
      rationale: '',
      risk: 'low',
    });
    const changes = rt.aws.rdsParams.changes.length;
    const k = key();
    const results = await Promise.all([run(state, false, k), run(state, false, k), run(state, false, k)]);
    expect(rt.aws.rdsParams.changes.length - changes).toBe(1);
    const executed = results.filter((r) => r.status === 'executed');
    // One acted; the others either returned its recorded result or refused to act blind.
    expect(executed.length + results.filter((r) => r.status === 'failed').length).toBe(3);
    expect((await run(state, false, k)).status).toBe('executed');
    expect(rt.aws.rdsParams.changes.length - changes).toBe(1);
  });

  it('the policy is re-checked with the current value: a jump beyond max_change_ratio is refused', async () => {
    await rt.aws.rdsParams.setParameter('orders-db-params', 'statement_timeout', '10000');
    const r = await run(
      stateWith(makeIncident(), 0.9, {
        action: 'rds_parameter',
        parameters: {
          parameter_name: 'statement_timeout',
          new_value: 500000,
          parameter_group: 'orders-db-params',
        },
        rationale: '',
        risk: 'low',
      }),
    );
    expect(r.status).toBe('refused');
    expect(r.error).toMatch(/max_change_ratio/);
    expect(await rt.aws.rdsParams.getParameter('orders-db-params', 'statement_timeout')).toBe('10000');
  });

  it('at most max_auto_actions_per_resource_per_hour actions per resource', async () => {
    const makeIncident = () => incidentOn('ingest-worker');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await run(stateWith(makeIncident(), 0.9, plan)));
    expect(statuses.slice(0, 3).map((r) => r.status)).toEqual(['executed', 'executed', 'executed']);
    expect(statuses[3]?.status).toBe('refused');
    expect(statuses[3]?.error).toMatch(/max_auto_actions_per_resource_per_hour \(3\)/);
    rt.advance(3_601_000);
    expect(
      (
        await run(
          stateWith(makeIncident(), 0.9, { ...plan, parameters: { ...plan.parameters, action: 'scale_in' } }),
        )
      ).status,
    ).toBe('executed');
  });

  it('a remediation that fails half-way restores the previous state', async () => {
    const before = await rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections');
    const real = rt.aws.rdsParams.getParameter.bind(rt.aws.rdsParams);
    let calls = 0;
    // The change goes through, then reading it back (the first getParameter: inspect describes) fails.
    const spy = jest.spyOn(rt.aws.rdsParams, 'getParameter').mockImplementation(async (g, p) => {
      calls += 1;
      if (calls === 1) throw new Error('connection reset while reading back');
      return real(g, p);
    });
    const r = await run(
      stateWith(makeIncident(), 0.9, {
        action: 'rds_parameter',
        parameters: {
          parameter_name: 'max_connections',
          new_value: Number(before) + 50,
          parameter_group: 'orders-db-params',
        },
        rationale: '',
        risk: 'low',
      }),
    );
    spy.mockRestore();
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/previous state was restored/);
    expect(await rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe(before);
  });
});

describe('verify', () => {
  it('says resolved when the metric is back in its band and not when it is still above', async () => {
    const good = await makeRuntime();
    const bad = await makeRuntime();
    try {
      seedConnections(good, 100);
      seedConnections(bad, 1000);
      const incident = makeIncident();
      const ok = await verifySignal(good, incident);
      expect(ok.resolved).toBe(true);
      expect(ok.detail).toMatch(/back in band/);
      const no = await verifySignal(bad, incident);
      expect(no.resolved).toBe(false);
      expect(no.detail).toMatch(/still above/);
    } finally {
      await Promise.all([good.aws.close(), bad.aws.close()]);
    }
  });
});
