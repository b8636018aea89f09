import { createHmac } from 'node:crypto';
import type { AwsEventV2 } from '../../../bot/slack/lambda';
import {
  type Analysis,
  IncidentState,
  type RemediationPlan,
  type RemediationResult,
} from '../../../providers/domain';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-local-test-token';
export const CHANNEL = 'C0INCIDENTS';
export const APPROVER = 'U0APPROVER';
export const GROUP_MEMBER = 'U0GROUPMEM';
export const APPROVER_GROUP = 'S0APPROVERS';
export const ONCALL = 'S0ONCALL';
export const STRANGER = 'U0STRANGER';

export interface StateOptions {
  id?: string;
  route?: Analysis['route'];
  confidence?: number;
  plan?: RemediationPlan;
  evidence?: number;
  rootCause?: string;
  remediation?: Partial<RemediationResult>;
}

export const restartPlan: RemediationPlan = {
  action: 'lambda_restart',
  parameters: { function_name: 'payments-api' },
  rationale: 'A restart clears the leaked connections the runbook describes.',
  risk: 'low',
};

/** A valid incident state as the workflow would store it. */
export function incidentState(o: StateOptions = {}): IncidentState {
  const id = o.id ?? 'inc-20261126-payments-1';
  const now = new Date().toISOString();
  const confidence = o.confidence ?? 0.72;
  const plan = o.plan ?? restartPlan;
  const evidenceCount = o.evidence ?? 3;
  return IncidentState.parse({
    incident: {
      incident_id: id,
      signature: 'abcdef0123456789abcdef',
      service: 'payments-api',
      severity: 'high',
      title: 'p95 latency above the anomaly band',
      created_at: now,
      trigger: 'schedule',
      anomalies: [
        {
          signature: 'abcdef0123456789abcdef',
          service: 'payments-api',
          source: 'cloudwatch_metric',
          kind: 'latency',
          severity: 'high',
          detected_at: now,
          summary: 'Duration p95 above band',
          metric: {
            namespace: 'AWS/Lambda',
            metric_name: 'Duration',
            dimensions: { FunctionName: 'payments-api' },
            stat: 'p95',
            period_seconds: 60,
            value: 2300,
            band: { lower: 120, upper: 400 },
            direction: 'above',
            series: [200, 210, 190, 220, 400, 900, 1500, 2300],
          },
        },
      ],
    },
    analysis: {
      incident_id: id,
      status: 'determined',
      root_cause:
        o.rootCause ??
        'Connection pool exhaustion after the 07:02 deploy: every invocation waits for a DB connection.',
      evidence: Array.from({ length: evidenceCount }, (_, i) => ({
        claim: `Evidence claim number ${i + 1}: errors rose from 3 to 142 per minute`,
        source: `call_${i + 1}`,
        tool: 'query_cloudwatch_metrics',
      })),
      confidence: {
        evidence_sufficiency: 0.8,
        logical_consistency: 0.7,
        actionability: 0.6,
        total: confidence,
      },
      confidence_score: confidence,
      remediation_plan: plan,
      route: o.route ?? 'approval',
      iterations: 2,
      usage: { llm_calls: 2, prompt_tokens: 100, completion_tokens: 50, latency_ms: 10 },
      analyzed_at: now,
    },
    ...(o.remediation
      ? {
          remediation: {
            incident_id: id,
            execution_id: 'exec-1',
            resource_id: 'lambda:payments-api',
            execution_time: now,
            action: 'lambda_restart',
            parameters: { function_name: 'payments-api' },
            dry_run: false,
            status: 'executed',
            rollback_available: true,
            ...o.remediation,
          },
        }
      : {}),
  });
}

/** Slack's v0 request signature. */
export function sign(
  body: string,
  ts = Math.floor(Date.now() / 1000),
  secret = SIGNING_SECRET,
): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': sig, 'x-slack-request-timestamp': String(ts) };
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const payloadForm = (payload: unknown) => form({ payload: JSON.stringify(payload) });

/** A Lambda Function URL (payload v2) event, base64 body as Function URLs send form posts. */
export function functionUrlEvent(
  body: string,
  contentType: string,
  headers: Record<string, string>,
  base64 = true,
): AwsEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': contentType, host: 'abc.lambda-url.us-east-1.on.aws', ...headers },
    requestContext: { http: { method: 'POST', path: '/', sourceIp: '127.0.0.1' }, requestId: 'r1' },
    body: base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: base64,
  };
}
