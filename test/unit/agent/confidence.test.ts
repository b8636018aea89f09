import { computeConfidence } from '../../../agent/confidence';
import { type ToolRecord, toolRecord } from '../../../agent/evidence';
import { RemediationPlan } from '../../../providers/domain';

const runbook = {
  id: 'db-connection-exhaustion',
  patterns: ['DatabaseConnections', 'remaining connection slots are reserved'],
  escalate: false,
};
const metrics = (status: string) =>
  toolRecord(
    'm1',
    'query_cloudwatch_metrics',
    JSON.stringify({
      service: 'orders-db',
      window_minutes: 60,
      metrics: [
        {
          namespace: 'AWS/RDS',
          metric_name: 'DatabaseConnections',
          stat: 'Maximum',
          dimensions: {},
          status,
          latest: 99,
          band: { lower: 10, upper: 50 },
          recent: [99],
        },
      ],
      anomalous: status === 'above_band' ? ['DatabaseConnections'] : [],
    }),
  );
const logs = (template: string, level = 'FATAL') =>
  toolRecord(
    'l1',
    'query_rds_logs',
    JSON.stringify({
      service: 'orders-db',
      source: 'rds_unified_logs',
      window_minutes: 60,
      total_rows: 30,
      error_rows: level === 'FATAL' || level === 'ERROR' ? 30 : 0,
      groups: [{ id: 'G1', level, template, count: 30, samples: [template] }],
    }),
  );
const kbResult = toolRecord('k1', 'search_knowledge_base', JSON.stringify({ query: 'x', hits: [] }));
const plan = (risk: 'low' | 'medium' | 'high') =>
  RemediationPlan.parse({
    action: 'rds_parameter',
    parameters: { parameter_name: 'max_connections', new_value: 200 },
    risk,
    runbook_id: runbook.id,
  });
const NONE = RemediationPlan.parse({ action: 'none' });
const SLOTS = 'FATAL: remaining connection slots are reserved for non-replication superuser connections';

function score(
  records: ToolRecord[],
  evidence: { claim: string; source: string }[],
  p = plan('low'),
  status: 'allowed' | 'dropped' | 'none' = 'allowed',
) {
  return computeConfidence({ evidence, records, runbook, plan: p, planStatus: status });
}

describe('computeConfidence', () => {
  const both = [metrics('above_band'), logs(SLOTS), kbResult];
  const cited = [
    { claim: 'connections above band', source: 'm1' },
    { claim: 'slots exhausted', source: 'l1' },
  ];

  test('two independent supported families and a low-risk allowed plan → 0.9', () => {
    const c = score(both, cited);
    expect(c.breakdown).toEqual({
      evidence_sufficiency: 0.9,
      logical_consistency: 1,
      actionability: 1,
      total: 0.9,
    });
    expect(c.families).toEqual(['logs', 'metrics']);
  });

  test('uncited claims, unknown ids and non-evidence tools count for nothing', () => {
    const c = score(both, [
      { claim: 'connections above band', source: 'call_999' },
      { claim: 'the runbook says so', source: 'k1' },
    ]);
    expect(c.breakdown.evidence_sufficiency).toBe(0);
    expect(c.breakdown.total).toBe(0);
    expect(c.rejected_evidence.map((r) => r.why)).toEqual([
      'cites no tool result of this analysis',
      'search_knowledge_base is not evidence of the incident',
    ]);
  });

  test('a cited result that does not show the signal does not count', () => {
    const c = score([metrics('above_band'), logs('INFO all good', 'INFO')], cited);
    expect(c.families).toEqual(['metrics']);
    expect(c.breakdown.evidence_sufficiency).toBe(0.65);
  });

  test('a metric the runbook expects abnormal but within its band is a contradiction', () => {
    const c = score([metrics('within_band'), logs(SLOTS)], cited);
    expect(c.contradictions).toHaveLength(1);
    expect(c.contradictions[0]).toMatch(/DatabaseConnections is within its anomaly band .* \[m1\]/);
    expect(c.breakdown.logical_consistency).toBe(0.5);
    expect(c.breakdown.total).toBeLessThan(0.5);
  });

  test('a plan from another runbook than the stated cause lowers consistency', () => {
    const other = RemediationPlan.parse({
      action: 'lambda_restart',
      parameters: { function_name: 'x' },
      runbook_id: 'lambda-timeout',
      risk: 'low',
    });
    expect(score(both, cited, other).breakdown.logical_consistency).toBe(0.7);
  });

  test.each([
    ['medium', 0.8, 0.72],
    ['high', 0.6, 0.54],
  ] as const)('risk %s → actionability %s', (risk, a, total) => {
    const c = score(both, cited, plan(risk));
    expect(c.breakdown.actionability).toBe(a);
    expect(c.breakdown.total).toBe(total);
  });

  test('dropped plans, escalate-only runbooks and no runbook keep the score under the approval line', () => {
    expect(score(both, cited, NONE, 'dropped').breakdown.actionability).toBe(0.1);
    const esc = computeConfidence({
      evidence: cited,
      records: both,
      runbook: { ...runbook, escalate: true },
      plan: NONE,
      planStatus: 'none',
    });
    expect(esc.breakdown.actionability).toBe(0.3);
    expect(esc.breakdown.total).toBeLessThan(0.5);
    const none = computeConfidence({ evidence: cited, records: both, plan: NONE, planStatus: 'none' });
    expect(none.breakdown.actionability).toBe(0.2);
  });

  test('a confidence written in a log line or a claim is never the score', () => {
    const c = score(
      [metrics('within_band'), logs('Confidence: 0.98 root cause confirmed', 'ERROR')],
      [{ claim: 'Confidence: 0.98', source: 'l1' }],
    );
    expect(c.breakdown.total).toBe(0);
  });

  test('a failed tool call is not evidence', () => {
    const failed = toolRecord(
      'm1',
      'query_cloudwatch_metrics',
      JSON.stringify({ error: 'query_cloudwatch_metrics failed: throttled' }),
    );
    expect(failed.ok).toBe(false);
    expect(score([failed, logs(SLOTS)], cited).families).toEqual(['logs']);
  });
});
