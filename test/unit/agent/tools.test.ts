process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { FinalAnswer } from '../../../agent/answer';
import { buildAnalysis } from '../../../agent/build-analysis';
import { type KnowledgeBase, loadKnowledgeBase } from '../../../agent/knowledge';
import {
  bandStatus,
  buildTools,
  capJson,
  estimateTokens,
  groupLines,
  proposeRemediation,
  type ToolContext,
} from '../../../agent/tools';
import { RemediationPlan } from '../../../providers/domain';
import { fakeRuntime, NOW } from './fakes';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await loadKnowledgeBase({ dir: 'knowledge-base' });
});
const ctxFor = (service: string, failed: RemediationPlan[] = [], rt = fakeRuntime()): ToolContext => ({
  rt,
  incident: { incident_id: 'inc-test-000001', service },
  kb,
  failedPlans: failed,
});
const maxConn = (v: number) => ({
  runbook_id: 'db-connection-exhaustion',
  action: 'rds_parameter' as const,
  parameters: { parameter_name: 'max_connections', new_value: v, parameter_group: 'orders-db-params' },
  rationale: '',
});

describe('tool output budget', () => {
  test('capJson keeps valid JSON within the budget and says it shortened', () => {
    const big = {
      service: 'x',
      groups: Array.from({ length: 200 }, (_, i) => ({ template: `line ${i} ${'x'.repeat(200)}` })),
    };
    const out = capJson(big, 500);
    expect(estimateTokens(out)).toBeLessThanOrEqual(500);
    const doc = JSON.parse(out);
    expect(doc.service).toBe('x');
    expect(doc.groups.length).toBeGreaterThan(0);
    expect(doc.truncated).toMatch(/500 tokens/);
  });

  test('small output is left as it is', () => {
    expect(capJson({ a: 1 }, 100)).toBe('{"a":1}');
  });
});

describe('band status and log grouping', () => {
  test('most of the last periods outside the band, one way, is a signal; one stray point is not', () => {
    const lo = [10, 10, 10, 10];
    const hi = [20, 20, 20, 20];
    expect(bandStatus([15, 25, 26, 27], lo, hi)).toBe('above_band');
    expect(bandStatus([15, 15, 5, 4], lo, hi)).toBe('below_band');
    expect(bandStatus([15, 15, 15, 30], lo, hi)).toBe('within_band');
    expect(bandStatus([], [], [])).toBe('no_data');
  });

  test('lines that differ only in variables share one group; errors rank first', () => {
    const g = groupLines([
      { timestamp: '2026-11-26T07:00:00Z', level: 'INFO', message: 'request 1 ok' },
      {
        timestamp: '2026-11-26T07:00:01Z',
        level: 'ERROR',
        message: 'timeout calling 10.0.0.1 after 3000 ms',
      },
      {
        timestamp: '2026-11-26T07:00:02Z',
        level: 'ERROR',
        message: 'timeout calling 10.0.0.2 after 3100 ms',
      },
    ]);
    expect(g[0]).toMatchObject({ id: 'G1', level: 'ERROR', count: 2, first_seen: '2026-11-26T07:00:01Z' });
    expect(g[0]!.samples).toHaveLength(2);
    expect(g).toHaveLength(2);
  });
});

describe('tools read through the providers and fail as data', () => {
  const byName = (ctx: ToolContext, name: string) => buildTools(ctx).find((t) => t.name === name)!;

  test('an unknown service is an error output naming the known ones', async () => {
    const out = JSON.parse(
      String(await byName(ctxFor('orders-db'), 'query_cloudwatch_metrics').invoke({ service: 'nope' })),
    );
    expect(out.error).toMatch(/unknown service "nope" \(known: payments-api, ingest-worker, orders-db/);
  });

  test('a provider failure comes back as {"error"} naming the tool', async () => {
    const rt = fakeRuntime({ failing: { unifiedLogs: 'ExecuteStatement failed (timeout)' } });
    const out = JSON.parse(
      String(await byName(ctxFor('orders-db', [], rt), 'query_rds_logs').invoke({ service: 'orders-db' })),
    );
    expect(out).toEqual({ error: 'query_rds_logs failed: ExecuteStatement failed (timeout)' });
  });

  test('get_recent_changes reports remediations and deployments in the window', async () => {
    const rt = fakeRuntime({
      history: [
        {
          resource_id: 'payments-api',
          execution_time: '2026-11-26T07:30:00.000Z',
          action: 'lambda_restart',
          status: 'executed',
        },
        {
          resource_id: 'payments-api',
          execution_time: '2026-11-20T07:30:00.000Z',
          action: 'lambda_restart',
          status: 'executed',
        },
      ],
      deployedAt: { 'payments-api': new Date(NOW.getTime() - 3_600_000).toISOString() },
    });
    const out = JSON.parse(
      String(
        await byName(ctxFor('payments-api', [], rt), 'get_recent_changes').invoke({
          service: 'payments-api',
        }),
      ),
    );
    expect(out.changes.map((c: { kind: string }) => c.kind)).toEqual(['remediation', 'deployment']);
    expect(out.changes[1].at).toBe('2026-11-26T07:00:00.000Z');
  });

  test("get_recent_changes shows the product's own remediations under their history keys", async () => {
    const restartAt = new Date(NOW.getTime() - 1_800_000).toISOString();
    const rt = fakeRuntime({
      history: [
        // How the executors key rows: lambda:<fn>, rds-param:<group>/<name>, rds-sessions:<cluster>.
        {
          resource_id: 'lambda:payments-api',
          execution_time: restartAt,
          action_type: 'lambda_restart',
          parameters_json: '{"function_name":"payments-api"}',
          result: 'executed',
        },
        {
          resource_id: 'rds-param:orders-db-params/max_connections',
          execution_time: restartAt,
          action_type: 'rds_parameter',
          parameters_json: '{"parameter_name":"max_connections","new_value":200}',
          result: 'executed',
        },
        {
          resource_id: 'rds-sessions:orders-db',
          execution_time: restartAt,
          action_type: 'rds_terminate_idle_sessions',
          result: 'executed',
        },
      ],
      // Our restart touched the function: that is not a deployment.
      deployedAt: { 'payments-api': restartAt },
    });
    const changes = async (service: string) =>
      JSON.parse(String(await byName(ctxFor(service, [], rt), 'get_recent_changes').invoke({ service })))
        .changes as { kind: string; resource: string; detail: string }[];
    const api = await changes('payments-api');
    expect(api.map((c) => [c.kind, c.resource])).toEqual([['remediation', 'lambda:payments-api']]);
    expect(api[0]!.detail).toMatch(/lambda_restart .*payments-api.* → executed/);
    const db = (await changes('orders-db')).map((c) => c.resource).sort();
    expect(db).toEqual(['rds-param:orders-db-params/max_connections', 'rds-sessions:orders-db']);
  });

  test('bad tool input is refused by the zod schema', async () => {
    await expect(
      byName(ctxFor('orders-db'), 'query_rds_logs').invoke({ service: 'orders-db', minutes: 99999 }),
    ).rejects.toThrow();
  });
});

describe('propose_remediation', () => {
  test('a runbook action inside bounds and policy is accepted with the runbook risk', () => {
    // max_connections is static on Aurora (its reboot needs approval): the runbook rates it medium,
    // while the dynamic idle timeout in the same runbook is low.
    const r = proposeRemediation(ctxFor('orders-db'), maxConn(200));
    expect(r).toMatchObject({ accepted: true, risk: 'medium', problems: [] });
    const timeout = proposeRemediation(ctxFor('orders-db'), {
      ...maxConn(0),
      parameters: { parameter_name: 'idle_in_transaction_session_timeout', new_value: 300000 },
    });
    expect(timeout).toMatchObject({ accepted: true, risk: 'low', problems: [] });
  });

  test('outside the runbook bounds and the policy → refused, naming both rules', () => {
    const r = proposeRemediation(ctxFor('orders-db'), maxConn(100000));
    expect(r.accepted).toBe(false);
    expect(r.problems.join('\n')).toMatch(/above the runbook's maximum 1000/);
    expect(r.problems.join('\n')).toMatch(/policy: rds_parameter: max_connections=100000 is outside 50–5000/);
  });

  test('an action the runbook does not allow (restart on an escalate-only runbook) is refused', () => {
    const r = proposeRemediation(ctxFor('payments-api'), {
      runbook_id: 'credentials-permission-denied',
      action: 'lambda_restart',
      parameters: { function_name: 'payments-api' },
      rationale: '',
    });
    expect(r.accepted).toBe(false);
    expect(r.problems[0]).toMatch(/escalate-only/);
  });

  test('the exact plan of a failed attempt is refused', () => {
    const failed = RemediationPlan.parse({ action: 'rds_parameter', parameters: maxConn(200).parameters });
    const r = proposeRemediation(ctxFor('orders-db', [failed]), maxConn(200));
    expect(r.accepted).toBe(false);
    expect(r.problems.join()).toMatch(/already tried/);
    expect(proposeRemediation(ctxFor('orders-db', [failed]), maxConn(300)).accepted).toBe(true);
  });
});

describe('buildAnalysis guards the final plan', () => {
  test('an out-of-policy plan in the final answer is replaced by none, lowering actionability, with the reason', () => {
    const answer = FinalAnswer.parse({
      root_cause: 'connections exhausted',
      evidence: [],
      runbook_id: 'db-connection-exhaustion',
      remediation: maxConn(100000),
    });
    const a = buildAnalysis(ctxFor('orders-db'), answer, [], {
      usage: { llm_calls: 1, prompt_tokens: 1, completion_tokens: 1, latency_ms: 1 },
      iterations: 1,
      hypotheses: [],
    });
    expect(a.remediation_plan.action).toBe('none');
    expect(a.confidence.actionability).toBe(0.1);
    expect(a.route).toBe('escalate');
    expect(a.policy_notes.join('\n')).toMatch(
      /proposed rds_parameter dropped: policy: rds_parameter: max_connections=100000/,
    );
  });
});

describe('query_rds_logs uses the summariser', () => {
  test('its output carries the hierarchical summary text next to the groups', async () => {
    const rt = fakeRuntime({ rdsLogs: [['orders-db', 'ERROR', 'deadlock detected on relation {n}', 12]] });
    const t = buildTools(ctxFor('orders-db', [], rt)).find((x) => x.name === 'query_rds_logs')!;
    const out = JSON.parse(String(await t.invoke({ service: 'orders-db' })));
    expect(out.groups[0]).toMatchObject({ level: 'ERROR', count: 12 });
    expect(out.summary).toMatch(/deadlock detected on relation/);
    expect(out.summary).toMatch(/12/);
  });
});
