import { buildIncidentView } from '../../../bot/core/view-model';
import { makeAnalyzeHandler } from '../../../pipeline/handlers/analyze';
import { notify } from '../../../pipeline/handlers/notify';
import { executePlan, rollbackExecution } from '../../../pipeline/remediation';
import type { IncidentState, RemediationPlan } from '../../../providers/domain';
import {
  makeAnalysis,
  makeIncident,
  makeRuntime,
  recordNotices,
  stateWith,
  type TestRuntime,
} from '../workflow/support';

type Rt = TestRuntime & { advance(ms: number): void };
let rt: Rt;
beforeAll(async () => {
  rt = await makeRuntime();
});
afterAll(async () => {
  await rt.aws.close();
});
// Each case starts with a fresh hour, so the rate limit of one resource is only row 2's subject.
beforeEach(() => rt.advance(3_700_000));

let n = 0;
const key = () => `i14-${Date.now()}-${++n}`;
const on = (service: string, plan: RemediationPlan, confidence = 0.9) =>
  stateWith(makeIncident({ service }), confidence, plan);
// As the remediate handler does: an approved plan runs as its approver.
const run = (r: Rt, state: IncidentState) =>
  executePlan(r, {
    state,
    execution_key: key(),
    dry_run: false,
    executed_by: state.approval?.status === 'approved' ? state.approval.decided_by : undefined,
  });
const approved = (state: IncidentState): IncidentState => ({
  ...state,
  approval: { status: 'approved', decided_by: 'U0APPROVER' },
});

const restart = (function_name: string): RemediationPlan => ({
  action: 'lambda_restart',
  parameters: { function_name },
  rationale: '',
  risk: 'low',
});
const param = (
  parameter_name: string,
  new_value: number | string,
  group = 'orders-db-params',
): RemediationPlan => ({
  action: 'rds_parameter',
  parameters: { parameter_name, new_value, parameter_group: group },
  rationale: '',
  risk: 'low',
});
const scale = (resource_id: string, amount = 1): RemediationPlan => ({
  action: 'auto_scaling',
  parameters: { resource_type: 'ecs_service', resource_id, action: 'scale_out', amount },
  rationale: '',
  risk: 'low',
});

describe('issue 14 row 1: targets belong to the incident service', () => {
  it("refuses to restart another service's function, and nothing changes", async () => {
    const before = await rt.aws.lambda.getFunction('ingest-worker');
    const r = await run(rt, on('payments-api', restart('ingest-worker')));
    expect(r.status).toBe('refused');
    expect(r.error).toMatch(/function "ingest-worker" does not belong to payments-api/);
    expect(await rt.aws.lambda.getFunction('ingest-worker')).toEqual(before);
  });

  it("refuses to scale another service's target (held-out shape: ingest-worker from stream-consumer)", async () => {
    const before = await rt.aws.autoScaling.getCapacity('ecs_service', 'service/bdp-cluster/ingest-worker');
    const r = await run(rt, on('stream-consumer', scale('service/bdp-cluster/ingest-worker')));
    expect(r.status).toBe('refused');
    expect(r.error).toMatch(
      /scalable target "service\/bdp-cluster\/ingest-worker" does not belong to stream-consumer/,
    );
    expect(await rt.aws.autoScaling.getCapacity('ecs_service', 'service/bdp-cluster/ingest-worker')).toEqual(
      before,
    );
  });

  it('refuses a parameter change and an event from a service that owns no database / names another service', async () => {
    const p = await run(rt, on('payments-api', param('max_connections', 150)));
    expect(p.status).toBe('refused');
    expect(p.error).toMatch(/payments-api owns no parameter group/);
    const e = await run(
      rt,
      on('nightly-etl', {
        action: 'eventbridge_event',
        parameters: { event_type: 'PAUSE_INGESTION', detail: { service: 'ingest-worker' } },
        rationale: '',
        risk: 'low',
      }),
    );
    expect(e.status).toBe('refused');
    expect(e.error).toMatch(/detail service="ingest-worker" is not nightly-etl/);
  });

  it('an incident on a service missing from the catalog may touch nothing', async () => {
    const r = await run(rt, on('billing-core', restart('payments-api')));
    expect(r.status).toBe('refused');
    expect(r.error).toMatch(/"billing-core" is not in the service catalog/);
  });

  it('a plan without a parameter group acts on the service own group from the catalog', async () => {
    const plan: RemediationPlan = {
      action: 'rds_parameter',
      parameters: { parameter_name: 'statement_timeout', new_value: 45000 },
      rationale: '',
      risk: 'low',
    };
    const r = await run(rt, on('orders-db', plan));
    expect(r.status).toBe('executed');
    expect(r.resource_id).toBe('rds-param:orders-db-params/statement_timeout');
    expect(await rt.aws.rdsParams.getParameter('orders-db-params', 'statement_timeout')).toBe('45000');
  });
});

describe('issue 14 row 2: atomic limits', () => {
  it('20 concurrent attempts from different incidents on one resource: exactly the limit acts', async () => {
    const own = await makeRuntime();
    try {
      const limit = own.policy.max_auto_actions_per_resource_per_hour;
      const updates = jest.spyOn(own.aws.lambda, 'updateFunction');
      const results = await Promise.all(
        Array.from({ length: 20 }, () => run(own, on('payments-api', restart('payments-api')))),
      );
      const executed = results.filter((r) => r.status === 'executed');
      const refused = results.filter((r) => r.status === 'refused');
      // Figures for the report.
      console.log(
        `issue 14 row 2: 20 concurrent → ${executed.length} executed, ${refused.length} refused (limit ${limit})`,
      );
      expect(executed).toHaveLength(limit);
      expect(updates).toHaveBeenCalledTimes(limit);
      expect(refused).toHaveLength(20 - limit);
      // The refusal reaches the card: the escalation notice's detail names the rule.
      const rec = recordNotices();
      try {
        const state = on('payments-api', restart('payments-api'));
        await notify(own, { kind: 'escalated', state: { ...state, remediation: refused[0] } });
        const view = buildIncidentView(rec.notices.at(-1)!, own.config);
        expect(view.detail).toMatch(/refused: rate limit: max_auto_actions_per_resource_per_hour \(3\)/);
      } finally {
        rec.reset();
      }
      for (const r of refused)
        expect(r.error).toMatch(
          /rate limit: max_auto_actions_per_resource_per_hour \(3\) reached for lambda:payments-api/,
        );
    } finally {
      await own.aws.close();
    }
  });
});

describe('issue 14 row 3: exact values', () => {
  it.each(['0xC8', '050', '5e3', ' 500 ', '+200', '200.0', '2_00', '200kB'])(
    'new_value %j is refused with a clear reason and nothing is written',
    async (raw) => {
      const changes = rt.aws.rdsParams.changes.length;
      const r = await run(rt, on('orders-db', param('max_connections', raw)));
      expect(r.status).toBe('refused');
      expect(r.error).toMatch(/not a plain decimal integer/);
      expect(rt.aws.rdsParams.changes.length).toBe(changes);
    },
  );

  it('the canonical decimal text is what is written', async () => {
    await rt.aws.rdsParams.setParameter('orders-db-params', 'max_connections', '100', 'pending-reboot');
    const r = await run(rt, on('orders-db', param('max_connections', '180')));
    expect(r.status).toBe('executed');
    expect(rt.aws.rdsParams.changes.at(-1)?.value).toBe('180');
    const r2 = await run(rt, on('orders-db', param('max_connections', 190)));
    expect(r2.status).toBe('executed');
    expect(rt.aws.rdsParams.changes.at(-1)?.value).toBe('190');
  });
});

describe('issue 14 row 4: unknown current value', () => {
  it('a formula as the current value: never automatic, the reason says why; approved it may run', async () => {
    await rt.aws.rdsParams.setParameter('orders-db-params', 'work_mem', '{DBInstanceClassMemory/65536}');
    const auto = await run(rt, on('orders-db', param('work_mem', 262144)));
    expect(auto.status).toBe('refused');
    expect(auto.error).toMatch(/needs approval.*formula.*max_change_ratio 4 cannot be checked/);
    expect(await rt.aws.rdsParams.getParameter('orders-db-params', 'work_mem')).toBe(
      '{DBInstanceClassMemory/65536}',
    );
    const ok = await run(rt, approved(on('orders-db', param('work_mem', 8192))));
    expect(ok.status).toBe('executed');
  });

  it('an approved change away from a formula can be rolled back to exactly that formula', async () => {
    const formula = '{DBInstanceClassMemory/9531392}';
    await rt.aws.rdsParams.setParameter('orders-db-params', 'max_connections', formula, 'pending-reboot');
    const a = await run(rt, approved(on('orders-db', param('max_connections', 300))));
    expect(a.status).toBe('executed');
    const back = await rollbackExecution(rt, {
      resource_id: a.resource_id,
      execution_time: a.execution_time,
      actor: 'U0APPROVER',
    });
    expect(back.outcome).toBe('rolled_back');
    expect(await rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe(formula);
  });

  it('an unset current value: never automatic either', async () => {
    const spy = jest.spyOn(rt.aws.rdsParams, 'describeParameter').mockResolvedValueOnce(undefined);
    const r = await run(rt, on('orders-db', param('statement_timeout', 60000)));
    spy.mockRestore();
    expect(r.status).toBe('refused');
    expect(r.error).toMatch(/needs approval.*not set.*cannot be checked/);
  });
});

describe('issue 14 row 4: the route is capped at analysis, so a person is asked (not an auto run refused)', () => {
  // The analyze step with an exact confidence: the agent is replaced, the cap is the handler's.
  const analyzed = async (plan: RemediationPlan, confidence = 0.95) => {
    const { analysis: _, ...fresh } = on('orders-db', plan, confidence);
    const analyze = makeAnalyzeHandler(async (_rt, input) =>
      makeAnalysis(input.incident.incident_id, confidence, plan),
    );
    return (await analyze(rt, fresh as IncidentState)).analysis!;
  };

  it('a formula as the current value: confident plan routed to approval, the reason on the card', async () => {
    await rt.aws.rdsParams.setParameter('orders-db-params', 'work_mem', '{DBInstanceClassMemory/65536}');
    const a = await analyzed(param('work_mem', 262144));
    expect(a.route).toBe('approval');
    expect(a.confidence_score).toBe(0.95);
    const rec = recordNotices();
    try {
      const state = { ...on('orders-db', param('work_mem', 262144)), analysis: a };
      await notify(rt, { kind: 'approval_requested', state });
      const view = buildIncidentView(rec.notices.at(-1)!, rt.config);
      expect(view.policy_notes.join(' ')).toMatch(
        /approval required: .*formula.*max_change_ratio 4 cannot be checked, so a person must approve/,
      );
    } finally {
      rec.reset();
    }
  });

  it('an unset value, and a value that cannot be read, cap at approval too (fail closed)', async () => {
    const unset = jest.spyOn(rt.aws.rdsParams, 'describeParameter').mockResolvedValueOnce(undefined);
    const a = await analyzed(param('statement_timeout', 60000));
    unset.mockRestore();
    expect(a.route).toBe('approval');
    expect(a.policy_notes.join(' ')).toMatch(/not set.*cannot be checked/);
    const down = jest
      .spyOn(rt.aws.rdsParams, 'describeParameter')
      .mockRejectedValueOnce(new Error('Throttling: rate exceeded'));
    const b = await analyzed(param('statement_timeout', 60000));
    down.mockRestore();
    expect(b.route).toBe('approval');
    expect(b.policy_notes.join(' ')).toMatch(
      /could not be read \(Throttling: rate exceeded\).*cannot be checked/,
    );
  });

  it('a plain current value within the ratio stays automatic; lower confidences keep their route', async () => {
    await rt.aws.rdsParams.setParameter('orders-db-params', 'idle_in_transaction_session_timeout', '300000');
    const auto = await analyzed(param('idle_in_transaction_session_timeout', 600000));
    expect(auto.route).toBe('auto');
    expect(auto.policy_notes.join(' ')).not.toMatch(/approval required/);
    await rt.aws.rdsParams.setParameter('orders-db-params', 'work_mem', '{DBInstanceClassMemory/65536}');
    expect((await analyzed(param('work_mem', 8192), 0.3)).route).toBe('escalate');
  });
});

describe('issue 14 row 5: rollback is compare-and-swap', () => {
  it('refuses to undo a later change by another incident, naming it; works once that is rolled back', async () => {
    await rt.aws.rdsParams.setParameter('orders-db-params', 'max_connections', '100', 'pending-reboot');
    const a = await run(rt, on('orders-db', param('max_connections', 150)));
    rt.advance(1000);
    const b = await run(rt, approved(on('orders-db', param('max_connections', 200))));
    expect([a.status, b.status]).toEqual(['executed', 'executed']);
    const ra = { resource_id: a.resource_id, execution_time: a.execution_time, actor: 'U0APPROVER' };
    const refused = await rollbackExecution(rt, ra);
    expect(refused.outcome).toBe('not_available');
    if (refused.outcome !== 'rolled_back') {
      expect(refused.reason).toMatch(/no longer holds/);
      expect(refused.reason).toContain('"value":"200"');
      expect(refused.reason).toContain(`incident ${b.incident_id}`);
      expect(refused.reason).toContain('U0APPROVER');
    }
    expect(await rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe('200');
    rt.advance(1000);
    const rb = await rollbackExecution(rt, {
      resource_id: b.resource_id,
      execution_time: b.execution_time,
      actor: 'U1',
    });
    expect(rb.outcome).toBe('rolled_back');
    rt.advance(1000);
    const again = await rollbackExecution(rt, ra);
    expect(again.outcome).toBe('rolled_back');
    expect(await rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe('100');
  });

  it('a change by someone outside the agent is not undone either', async () => {
    await rt.aws.rdsParams.setParameter('orders-db-params', 'statement_timeout', '30000');
    const a = await run(rt, on('orders-db', param('statement_timeout', 40000)));
    await rt.aws.rdsParams.setParameter('orders-db-params', 'statement_timeout', '41000');
    const r = await rollbackExecution(rt, {
      resource_id: a.resource_id,
      execution_time: a.execution_time,
      actor: 'U1',
    });
    expect(r.outcome).toBe('not_available');
    if (r.outcome !== 'rolled_back') expect(r.reason).toMatch(/"value":"41000".*outside BDP Agent/);
    expect(await rt.aws.rdsParams.getParameter('orders-db-params', 'statement_timeout')).toBe('41000');
  });

  it('the ratio check applies to the rollback (policy tightened since)', async () => {
    await rt.aws.rdsParams.setParameter('orders-db-params', 'max_connections', '100', 'pending-reboot');
    const a = await run(rt, on('orders-db', param('max_connections', 190)));
    expect(a.status).toBe('executed');
    const tight = structuredClone(rt.policy);
    tight.actions.rds_parameter.parameters.max_connections!.max_change_ratio = 1.5;
    const r = await rollbackExecution(
      { ...rt, policy: tight },
      {
        resource_id: a.resource_id,
        execution_time: a.execution_time,
        actor: 'U1',
      },
    );
    expect(r.outcome).toBe('not_available');
    if (r.outcome !== 'rolled_back') expect(r.reason).toMatch(/max_change_ratio 1.5/);
    expect(await rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe('190');
  });
});
