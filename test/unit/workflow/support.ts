import { setChatNotifier } from '../../../pipeline/notify';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { DEFAULT_SERVICES } from '../../../providers/config/services';
import type {
  Analysis,
  Incident,
  IncidentNotice,
  IncidentState,
  RemediationPlan,
} from '../../../providers/domain';
import { createLLMClient } from '../../../providers/llm';
import { loadPolicy } from '../../../providers/policy';
import type { Runtime } from '../../../providers/runtime';

export type TestRuntime = Runtime & { aws: MockAwsProviders };

/** A runtime on the local mocks (dynalite-backed DynamoDB) with a movable clock. */
export async function makeRuntime(
  env: Record<string, string> = {},
): Promise<TestRuntime & { advance(ms: number): void }> {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const config = loadConfig({
    SLACK_APPROVERS: 'U0APPROVER,S0ONCALL',
    TEAMS_APPROVERS: 'aad-approver',
    ...env,
  });
  const aws = await createMockAwsProviders({ now, config });
  return {
    config,
    aws,
    llm: createLLMClient(config),
    policy: loadPolicy(),
    services: DEFAULT_SERVICES,
    now,
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

/** Records every notice and lets a test react to one (e.g. click Approve when the card appears). */
export function recordNotices(onNotice?: (n: IncidentNotice) => void) {
  const notices: IncidentNotice[] = [];
  setChatNotifier({
    async publish(n) {
      notices.push(n);
      onNotice?.(n);
    },
  });
  return { notices, kinds: () => notices.map((n) => n.kind), reset: () => setChatNotifier(undefined) };
}

let seq = 0;
export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  seq += 1;
  const now = new Date().toISOString();
  return {
    incident_id: `inc-test-${Date.now().toString(36)}-${seq}`,
    signature: 'abcdef0123456789',
    service: 'orders-db',
    severity: 'high',
    title: 'orders-db connections above band',
    trigger: 'schedule',
    created_at: now,
    anomalies: [
      {
        signature: 'abcdef0123456789',
        service: 'orders-db',
        source: 'cloudwatch_metric',
        kind: 'metric_above_band',
        severity: 'high',
        detected_at: now,
        summary: 'DatabaseConnections above its band',
        metric: {
          namespace: 'AWS/RDS',
          metric_name: 'DatabaseConnections',
          dimensions: { DBClusterIdentifier: 'orders-db' },
          stat: 'Maximum',
          period_seconds: 60,
          value: 990,
          band: { lower: 80, upper: 120 },
          direction: 'above',
          series: [100, 100, 990],
        },
      },
    ],
    ...overrides,
  };
}

export const RDS_PLAN: RemediationPlan = {
  action: 'rds_parameter',
  parameters: { parameter_name: 'max_connections', new_value: 200, parameter_group: 'orders-db-params' },
  rationale: 'connections exhausted',
  risk: 'medium',
};

export function makeAnalysis(
  incident_id: string,
  confidence: number,
  plan: RemediationPlan = RDS_PLAN,
): Analysis {
  return {
    incident_id,
    status: 'determined',
    root_cause: 'max_connections too low for the load',
    evidence: [{ claim: 'connections at 990', source: 'call-1', tool: 'query_cloudwatch_metrics' }],
    confidence: {
      evidence_sufficiency: confidence,
      logical_consistency: confidence,
      actionability: confidence,
      total: confidence,
    },
    confidence_score: confidence,
    remediation_plan: plan,
    route: 'escalate',
    policy_notes: [],
    hypotheses: [],
    iterations: 1,
    usage: { llm_calls: 1, prompt_tokens: 10, completion_tokens: 10, latency_ms: 1 },
    analyzed_at: new Date().toISOString(),
  };
}

export function stateWith(
  incident: Incident,
  confidence: number,
  plan: RemediationPlan = RDS_PLAN,
): IncidentState {
  return {
    incident,
    analysis: makeAnalysis(incident.incident_id, confidence, plan),
    failed_attempts: [],
    replan_count: 0,
    execution_id: `arn:aws:states:us-east-1:000000000000:execution:bdp-main-workflow:${incident.incident_id}`,
  };
}

/** Metric history for orders-db connections: steady at 100, and the last minutes at `recent`. */
export function seedConnections(rt: TestRuntime, recent: number) {
  const now = rt.now().getTime();
  const data = [];
  for (let m = 180; m >= 1; m--) {
    const value = m <= 4 ? recent : 100;
    data.push({
      namespace: 'AWS/RDS',
      metric_name: 'DatabaseConnections',
      dimensions: { DBClusterIdentifier: 'orders-db' },
      value,
      timestamp: new Date(now - m * 60_000 + 1000),
    });
  }
  rt.aws.cloudwatch.seed(data);
}
