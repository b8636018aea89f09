import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { onDemandIncident, renderAnalysis } from '../../../agent/cli';
import { Incident } from '../../../providers/domain';
import { NOW } from './fakes';

const root = path.resolve(__dirname, '../../..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'agent/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });

describe('analyze CLI', () => {
  test('an unknown service exits 2 and lists the known ones', () => {
    const r = cli('no-such-service');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /unknown service "no-such-service"; known services: payments-api, ingest-worker, orders-db/,
    );
    expect(r.stdout).toBe('');
  });

  test('the on-demand incident is a valid domain Incident', () => {
    const inc = onDemandIncident('orders-db', NOW);
    expect(Incident.parse(inc)).toEqual(inc);
    expect(inc.anomalies[0]!.kind).toBe('on_demand');
  });

  test('the human rendering shows route, the three parts, evidence and the plan', () => {
    const text = renderAnalysis(
      {
        incident_id: 'inc-orders-db-x1y2z3',
        status: 'determined',
        root_cause: 'connections exhausted',
        evidence: [
          { claim: 'DatabaseConnections above band', source: 'call_1_1', tool: 'query_cloudwatch_metrics' },
        ],
        confidence: { evidence_sufficiency: 0.9, logical_consistency: 1, actionability: 1, total: 0.9 },
        confidence_score: 0.9,
        remediation_plan: {
          action: 'rds_parameter',
          parameters: { parameter_name: 'max_connections', new_value: 200 },
          rationale: '',
          risk: 'low',
          runbook_id: 'db-connection-exhaustion',
        },
        route: 'auto',
        policy_notes: [],
        hypotheses: [],
        iterations: 3,
        usage: { llm_calls: 4, prompt_tokens: 100, completion_tokens: 10, latency_ms: 5 },
        analyzed_at: NOW.toISOString(),
      },
      'orders-db',
    );
    expect(text).toMatch(
      /Route: AUTO {3}Confidence: 0\.900 = evidence 0\.9 × consistency 1 × actionability 1/,
    );
    expect(text).toMatch(/- DatabaseConnections above band \[call_1_1 query_cloudwatch_metrics\]/);
    expect(text).toMatch(
      /Remediation: rds_parameter \{"parameter_name":"max_connections","new_value":200\} \(risk low, runbook db-connection-exhaustion\)/,
    );
  });
});
