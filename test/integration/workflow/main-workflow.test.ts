import { buildMainWorkflow, workflowOptionsFromConfig } from '../../../infra/workflow';
import { createApprovalService } from '../../../pipeline/approval';
import { rollbackExecution } from '../../../pipeline/remediation/rollback';
import { createWorkflowStore } from '../../../pipeline/state';
import {
  attachLocalWorkflows,
  bindPipelineTasks,
  LOCAL_MAIN_STATE_MACHINE_ARN,
  LOCAL_TASK_RESOURCES,
  runLocalExecution,
} from '../../../pipeline/workflow';
import type { Incident, IncidentNotice, IncidentState, RemediationPlan } from '../../../providers/domain';
import {
  makeAnalysis,
  makeIncident,
  makeRuntime,
  RDS_PLAN,
  recordNotices,
  type TestRuntime,
} from '../../unit/workflow/support';

/**
 * The main workflow definition (the one CDK deploys) run by aws-local-stepfunctions, every task
 * bound to the real handler on the local mocks (dynalite, mock CloudWatch/RDS/SFN). Only the agent
 * and detection are replaced, so the confidence and the incident are exact.
 */

const approver = { surface: 'slack' as const, user_id: 'U0APPROVER', display_name: 'Ana' };
let runtimes: TestRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.map((r) => r.aws.close()));
  runtimes = [];
});

let seq = 0;
/** An incident on its own metric series (steady 100, recent minutes at `recent`). */
function incidentOn(rt: TestRuntime, recent: number): Incident {
  const cluster = `orders-db-${++seq}`;
  const base = makeIncident();
  const metric = { ...base.anomalies[0]!.metric!, dimensions: { DBClusterIdentifier: cluster } };
  const now = rt.now().getTime();
  rt.aws.cloudwatch.seed(
    Array.from({ length: 180 }, (_, i) => {
      const m = 180 - i;
      return {
        namespace: 'AWS/RDS',
        metric_name: 'DatabaseConnections',
        dimensions: { DBClusterIdentifier: cluster },
        value: m <= 4 ? recent : 100,
        timestamp: new Date(now - m * 60_000 + 1000),
      };
    }),
  );
  return { ...base, anomalies: [{ ...base.anomalies[0]!, metric }] };
}

interface Scenario {
  confidence: number;
  plan?: RemediationPlan;
  recovers?: boolean;
  decision?: 'approve' | 'reject';
  approvalTimeoutSeconds?: number;
  analyzeError?: string;
  /** Prepares the target before the run (e.g. a formula as the parameter's current value). */
  setup?: (rt: TestRuntime) => Promise<unknown>;
}

async function run(s: Scenario) {
  const rt = await makeRuntime();
  runtimes.push(rt);
  await s.setup?.(rt);
  const changesBefore = rt.aws.rdsParams.changes.length;
  const incident = incidentOn(rt, s.recovers === false ? 1000 : 100);
  const id = incident.incident_id;
  const seen: number[] = [];
  const analyzeFn = jest.fn(
    async (
      _rt: unknown,
      input: { incident: Incident; failed_attempts: IncidentState['failed_attempts'] },
    ) => {
      seen.push(input.failed_attempts.length);
      if (s.analyzeError) throw new Error(s.analyzeError);
      return makeAnalysis(input.incident.incident_id, s.confidence, s.plan ?? RDS_PLAN);
    },
  );
  const decisions: Promise<unknown>[] = [];
  const rec = recordNotices((n: IncidentNotice) => {
    if (n.kind === 'approval_requested' && s.decision) {
      decisions.push(
        createApprovalService(rt).decide({
          incident_id: id,
          decision: s.decision,
          user: approver,
          reason: 'checked',
        }),
      );
    }
  });
  const options = workflowOptionsFromConfig(rt.config, LOCAL_TASK_RESOURCES);
  const definition = buildMainWorkflow({
    ...options,
    approvalTimeoutSeconds: s.approvalTimeoutSeconds ?? 20,
  });
  const paramsBefore = await rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections');
  const result = await runLocalExecution(
    definition,
    {},
    {
      tasks: bindPipelineTasks(rt, {
        analyzeFn,
        detectFn: async () => ({
          anomalies_detected: true,
          anomalies: incident.anomalies,
          incidents: [incident],
        }),
      }),
      tokens: rt.aws.sfn,
      wait_ms: 0,
      retry_ms: 5,
    },
  );
  await Promise.all(decisions);
  rec.reset();
  const record = await createWorkflowStore(rt).getRecord(id);
  return {
    rt,
    id,
    result,
    kinds: rec.notices.filter((n) => n.state.incident.incident_id === id).map((n) => n.kind),
    notices: rec.notices,
    status: record?.status,
    state: record?.state,
    rdsChanges: rt.aws.rdsParams.changes.length - changesBefore,
    paramsBefore,
    analyzeCalls: seen,
  };
}

describe('bdp-main-workflow on the local runner', () => {
  it('confidence 0.9 executes automatically, verifies and resolves', async () => {
    const r = await run({ confidence: 0.9 });
    expect(r.result.status).toBe('SUCCEEDED');
    expect(r.kinds).toEqual(['analyzed', 'executed', 'resolved']);
    expect(r.rdsChanges).toBe(1);
    expect(await r.rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe('200');
    expect(r.status).toBe('resolved');
    expect(r.state?.remediation?.previous_state).toMatchObject({ value: r.paramsBefore });
    const steps = r.rt.aws.events.published.filter((e) => e.source === 'bdp.agent').map((e) => e.detail.step);
    expect(steps).toEqual(expect.arrayContaining(['executed', 'verified']));
  });

  it('an auto-executed fix can be rolled back from chat by an approver, once', async () => {
    const r = await run({ confidence: 0.9 });
    const svc = createApprovalService(r.rt, { rollback: rollbackExecution });
    const rec = recordNotices();
    expect(
      (await svc.rollback({ incident_id: r.id, user: { surface: 'slack', user_id: 'U0NOBODY' } })).outcome,
    ).toBe('not_approver');
    const back = await svc.rollback({ incident_id: r.id, user: approver });
    expect(back.outcome).toBe('rolled_back');
    expect(await r.rt.aws.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe(r.paramsBefore);
    expect(rec.kinds()).toEqual(['rolled_back']);
    expect((await createWorkflowStore(r.rt).getRecord(r.id))?.status).toBe('rolled_back');
    expect((await svc.rollback({ incident_id: r.id, user: approver })).outcome).toBe('not_available');
    rec.reset();
  });

  it('0.85 is on the automatic side of the boundary', async () => {
    const r = await run({ confidence: 0.85 });
    expect(r.kinds).toEqual(['analyzed', 'executed', 'resolved']);
  });

  it('0.7 waits for approval; approve → executes', async () => {
    const r = await run({ confidence: 0.7, decision: 'approve' });
    expect(r.result.status).toBe('SUCCEEDED');
    expect(r.kinds).toEqual(['analyzed', 'approval_requested', 'approved', 'executed', 'resolved']);
    expect(r.rdsChanges).toBe(1);
    expect(r.state?.remediation?.executed_by).toBe('U0APPROVER');
  });

  it('0.5 is on the approval side of the boundary', async () => {
    const r = await run({ confidence: 0.5, decision: 'approve' });
    expect(r.kinds.slice(0, 3)).toEqual(['analyzed', 'approval_requested', 'approved']);
  });

  it('0.7 rejected → no action, recorded as rejected', async () => {
    const r = await run({ confidence: 0.7, decision: 'reject' });
    expect(r.result.status).toBe('SUCCEEDED');
    expect(r.kinds).toEqual(['analyzed', 'approval_requested', 'rejected']);
    expect(r.rdsChanges).toBe(0);
    expect(r.status).toBe('rejected');
    expect(r.state?.approval).toMatchObject({
      status: 'rejected',
      decided_by: 'U0APPROVER',
      reason: 'checked',
    });
  });

  it('0.7 with nobody deciding → expired → escalated, and a late click is told it expired', async () => {
    const r = await run({ confidence: 0.7, approvalTimeoutSeconds: 1 });
    expect(r.result.status).toBe('SUCCEEDED');
    expect(r.kinds).toEqual(['analyzed', 'approval_requested', 'expired', 'escalated']);
    expect(r.rdsChanges).toBe(0);
    expect(r.status).toBe('escalated');
    const late = await createApprovalService(r.rt).decide({
      incident_id: r.id,
      decision: 'approve',
      user: approver,
    });
    expect(late.outcome).toBe('expired');
  });

  it('0.3 escalates without proposing or doing anything; 0.4999 too', async () => {
    for (const c of [0.3, 0.4999]) {
      const r = await run({ confidence: c });
      expect(r.kinds).toEqual(['analyzed', 'escalated']);
      expect(r.rdsChanges).toBe(0);
      expect(r.status).toBe('escalated');
    }
  });

  it('a remediation that does not fix the signal replans twice, then escalates', async () => {
    const r = await run({ confidence: 0.9, recovers: false });
    expect(r.result.status).toBe('SUCCEEDED');
    expect(r.kinds).toEqual([
      'analyzed',
      'executed',
      'not_resolved',
      'analyzed',
      'executed',
      'not_resolved',
      'analyzed',
      'executed',
      'escalated',
    ]);
    // The agent saw each failed attempt when it replanned.
    expect(r.analyzeCalls).toEqual([0, 1, 2]);
    expect(r.rdsChanges).toBe(3);
    expect(r.status).toBe('escalated');
    expect(r.state?.replan_count).toBe(2);
  });

  it('a plan outside the policy is refused at execution and escalated with the rule', async () => {
    const r = await run({
      confidence: 0.95,
      plan: { ...RDS_PLAN, parameters: { ...RDS_PLAN.parameters, new_value: 100000 } } as RemediationPlan,
    });
    expect(r.kinds).toEqual(['analyzed', 'escalated']);
    expect(r.rdsChanges).toBe(0);
    expect(r.notices.at(-1)?.detail).toMatch(/outside 50–5000/);
  });

  it('issue 14 row 4: a confident plan against a formula waits for approval with the reason; approve → executes', async () => {
    const formula = '{DBInstanceClassMemory/65536}';
    const plan = {
      ...RDS_PLAN,
      parameters: { parameter_name: 'work_mem', new_value: 262144, parameter_group: 'orders-db-params' },
    } as RemediationPlan;
    const setup = (rt: TestRuntime) => rt.aws.rdsParams.setParameter('orders-db-params', 'work_mem', formula);
    const r = await run({ confidence: 0.95, plan, setup, decision: 'approve' });
    expect(r.kinds).toEqual(['analyzed', 'approval_requested', 'approved', 'executed', 'resolved']);
    const asked = r.notices.find((n) => n.kind === 'approval_requested')!;
    expect(asked.state.analysis?.route).toBe('approval');
    expect(asked.state.analysis?.policy_notes.join(' ')).toMatch(
      /approval required: .*formula.*max_change_ratio 4 cannot be checked/,
    );
    expect(r.rdsChanges).toBe(1);
    expect(r.state?.remediation?.executed_by).toBe('U0APPROVER');

    // Nobody deciding: it expires and escalates, and the formula is untouched (never automatic).
    const idle = await run({ confidence: 0.95, plan, setup, approvalTimeoutSeconds: 1 });
    expect(idle.kinds).toEqual(['analyzed', 'approval_requested', 'expired', 'escalated']);
    expect(idle.rdsChanges).toBe(0);
    expect(await idle.rt.aws.rdsParams.getParameter('orders-db-params', 'work_mem')).toBe(formula);
  });

  it('a confident plan against a plain current value still runs automatically (the cap is not a blanket)', async () => {
    const r = await run({
      confidence: 0.95,
      plan: {
        ...RDS_PLAN,
        parameters: { parameter_name: 'work_mem', new_value: 16384, parameter_group: 'orders-db-params' },
      } as RemediationPlan,
      setup: (rt) => rt.aws.rdsParams.setParameter('orders-db-params', 'work_mem', '8192'),
    });
    expect(r.kinds).toEqual(['analyzed', 'executed', 'resolved']);
    expect(r.notices[0]?.state.analysis?.route).toBe('auto');
  });

  it('a failing step ends in a "failed" notice naming what failed, never a silent stop', async () => {
    const r = await run({ confidence: 0.9, analyzeError: 'the LLM endpoint refused the connection' });
    expect(r.result.status).toBe('SUCCEEDED');
    expect(r.kinds).toEqual(['failed']);
    expect(r.notices.at(-1)?.detail).toMatch(/LLM endpoint refused/);
    expect(r.status).toBe('failed');
  });

  it('StartExecution on the mock Step Functions runs the workflow locally (the workspace path)', async () => {
    const rt = await makeRuntime();
    runtimes.push(rt);
    const rec = recordNotices();
    const incident = incidentOn(rt, 100);
    const seenInput: unknown[] = [];
    const local = attachLocalWorkflows(rt.aws.sfn, {
      definitions: {
        [LOCAL_MAIN_STATE_MACHINE_ARN]: buildMainWorkflow(
          workflowOptionsFromConfig(rt.config, LOCAL_TASK_RESOURCES),
        ),
      },
      tasks: bindPipelineTasks(rt, {
        analyzeFn: async (_rt, i) => makeAnalysis(i.incident.incident_id, 0.3),
        detectFn: async (_rt, input) => {
          seenInput.push(input);
          return { anomalies_detected: true, anomalies: incident.anomalies, incidents: [incident] };
        },
      }),
      wait_ms: 0,
    });
    const { execution_arn } = await rt.aws.sfn.startExecution(LOCAL_MAIN_STATE_MACHINE_ARN, {
      service: 'orders-db',
      requested_by: 'U0APPROVER',
    });
    const result = await local.result(execution_arn);
    local.detach();
    rec.reset();
    expect(result.status).toBe('SUCCEEDED');
    // Detect gets the request and the execution id (a retried Detect re-opens the same incidents).
    expect(seenInput).toEqual([
      { request: { service: 'orders-db', requested_by: 'U0APPROVER' }, run_id: execution_arn },
    ]);
    expect(rec.kinds()).toEqual(['analyzed', 'escalated']);
    expect(rec.notices[0]?.execution_arn).toBe(execution_arn);
    expect(local.list()).toEqual([{ execution_arn, status: 'SUCCEEDED' }]);
  });

  it('no incidents → the run succeeds quietly', async () => {
    const rt = await makeRuntime();
    runtimes.push(rt);
    const rec = recordNotices();
    const def = buildMainWorkflow(workflowOptionsFromConfig(rt.config, LOCAL_TASK_RESOURCES));
    const result = await runLocalExecution(
      def,
      {},
      {
        tasks: bindPipelineTasks(rt, {
          detectFn: async () => ({ anomalies_detected: false, anomalies: [], incidents: [] }),
        }),
        tokens: rt.aws.sfn,
        wait_ms: 0,
      },
    );
    rec.reset();
    expect(result.status).toBe('SUCCEEDED');
    expect(rec.notices).toEqual([]);
  });
});
