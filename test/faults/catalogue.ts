import { analyzeIncident } from '../../agent';
import { type KnowledgeBase, loadKnowledgeBase } from '../../agent/knowledge';
import type { LocalSlackApi } from '../../bot/local/slack-api';
import { createApprovalService } from '../../pipeline/approval';
import { claimExecution, executePlan } from '../../pipeline/remediation';
import { createWorkflowStore } from '../../pipeline/state/workflow-store';
import type { Analysis, Incident } from '../../providers/domain';
import { replayResponder } from '../eval/replay-model';
import { type FakeOpenAIServer, openAIError, startOpenAIServer } from '../fixtures/llm-servers';
import { CHANNEL, incidentState } from '../integration/slack/fixtures';
import { type Harness, startHarness } from '../integration/slack/harness';
import { buttonClick, mentionOf, messageEvent } from '../integration/slack/payloads';
import { deliveryFaults } from './delivery';
import {
  countCalls,
  type FaultRuntime,
  faultRuntime,
  MAX_CONNECTIONS_PLAN,
  RESTART_PLAN,
  stateWithPlan,
} from './harness';

/**
 * The fault catalogue, shared by `npm run faults` and the jest tests in test/integration/faults.
 * Each fault drives the real code path (agent, remediation, approval) with one fault injected and
 * reports what a person would care about:
 *   injected  — the fault really happened (the hook fired / the server answered badly);
 *   survived  — the person is told the truth, nothing acted twice, the flow ended in a defined state;
 *   data_lost — a decision, a result or a history row that should exist does not.
 */
export interface FaultOutcome {
  injected: boolean;
  survived: boolean;
  data_lost: boolean;
  /** What a person would miss (an incident without its card, a notice never posted), as a count. */
  lost?: number;
  /** Things done twice (a second card, a second reboot). */
  double_actions?: number;
  /** The individual checks behind `survived` and `data_lost` (name → passed). */
  checks: Record<string, boolean>;
  /** What happened, for the table. */
  detail: string;
}

export interface Fault {
  id: string;
  area: 'llm' | 'aws' | 'dynamodb' | 'approval' | 'remediation' | 'slack';
  title: string;
  run(): Promise<FaultOutcome>;
}

function outcome(
  injected: boolean,
  checks: Record<string, boolean>,
  lossChecks: Record<string, boolean>,
  detail: string,
): FaultOutcome {
  return {
    injected,
    survived: Object.values(checks).every(Boolean),
    data_lost: !Object.values(lossChecks).every(Boolean),
    checks: { ...checks, ...lossChecks },
    detail,
  };
}

async function withRuntime<T>(
  env: Record<string, string>,
  body: (rt: FaultRuntime) => Promise<T>,
): Promise<T> {
  const rt = await faultRuntime(env);
  try {
    return await body(rt);
  } finally {
    await rt.aws.close();
  }
}

let kbCache: Promise<KnowledgeBase> | undefined;
const kb = () => {
  kbCache ??= loadKnowledgeBase({ dir: 'knowledge-base' });
  return kbCache;
};

function llmIncident(service: string): Incident {
  return stateWithPlan(service, { action: 'none' }, 'inc-fault-llm-01').incident;
}

/** Runs the analysis on a vLLM runtime pointed at a fake server scripted by `script`. */
async function analyzeAgainst(
  script: (server: FakeOpenAIServer) => void,
  env: Record<string, string> = {},
): Promise<{ analysis: Analysis; requests: number; ms: number }> {
  const server = await startOpenAIServer();
  try {
    script(server);
    return await withRuntime(
      { LLM_MOCK: 'false', LLM_PROVIDER: 'vllm', VLLM_BASE_URL: server.baseURL, ...env },
      async (rt) => {
        const t = performance.now();
        const analysis = await analyzeIncident(
          rt,
          { incident: llmIncident('payments-api') },
          { knowledge: await kb() },
        );
        return { analysis, requests: server.requests.length, ms: Math.round(performance.now() - t) };
      },
    );
  } finally {
    await server.close();
  }
}

/** The analysis told the person it could not decide, proposes nothing and escalates. */
const escalatedHonestly = (a: Analysis, why: RegExp) => ({
  'undetermined, escalated': a.status === 'undetermined' && a.route === 'escalate',
  'no action proposed': a.remediation_plan.action === 'none',
  'the card says why': why.test(`${a.root_cause} ${a.policy_notes.join(' ')}`),
});

/**
 * A replayed analyst whose final JSON is rewritten by `mutate` (a model that hallucinates at the end).
 * Tool turns are the analyst's own, so the evidence is real.
 */
function tamperedFinal(mutate: (answer: Record<string, unknown>) => void) {
  const inner = replayResponder();
  return async (req: Parameters<ReturnType<typeof replayResponder>>[0]) => {
    const res = await inner(req);
    const body = res.body as { choices: { message: { content: string | null; tool_calls?: unknown[] } }[] };
    const msg = body.choices[0]!.message;
    if (!msg.tool_calls?.length && msg.content?.trim().startsWith('{')) {
      const doc = JSON.parse(msg.content) as Record<string, unknown>;
      mutate(doc);
      msg.content = JSON.stringify(doc);
    }
    return res;
  };
}

// ── LLM faults ──────────────────────────────────────────────────────────────────────────────────
const llmFaults: Fault[] = [
  {
    id: 'llm-timeout',
    area: 'llm',
    title: 'LLM does not answer (timeout)',
    async run() {
      const { analysis, requests, ms } = await analyzeAgainst((s) => s.setFallback(() => ({ hang: true })), {
        LLM_TIMEOUT_MS: '1000',
        LLM_MAX_RETRIES: '1',
      });
      return outcome(
        requests >= 1,
        {
          ...escalatedHonestly(analysis, /timeout|timed out/i),
          'bounded: retries then gives up': requests === 2 && ms < 10_000,
        },
        { 'analysis recorded': Boolean(analysis.analyzed_at) },
        `${requests} attempts in ${ms} ms → ${analysis.route}: ${analysis.root_cause.slice(0, 100)}`,
      );
    },
  },
  {
    id: 'llm-http-500',
    area: 'llm',
    title: 'LLM answers 500',
    async run() {
      const { analysis, requests } = await analyzeAgainst(
        (s) => s.setFallback(() => openAIError(500, 'GPU fell over')),
        {
          LLM_MAX_RETRIES: '2',
        },
      );
      return outcome(
        requests >= 1,
        { ...escalatedHonestly(analysis, /500|http/i), 'bounded retries (3 attempts)': requests === 3 },
        { 'analysis recorded': Boolean(analysis.analyzed_at) },
        `${requests} attempts → ${analysis.route}: ${analysis.root_cause.slice(0, 100)}`,
      );
    },
  },
  {
    id: 'llm-malformed-json',
    area: 'llm',
    title: 'LLM answers a body that is not a completion',
    async run() {
      const { analysis, requests } = await analyzeAgainst((s) =>
        s.setFallback(() => ({ body: '{"choices": [tru' })),
      );
      return outcome(
        requests >= 1,
        escalatedHonestly(analysis, /malformed|json|parse|invalid|unexpected/i),
        { 'analysis recorded': Boolean(analysis.analyzed_at) },
        `${requests} request(s) → ${analysis.route}: ${analysis.root_cause.slice(0, 100)}`,
      );
    },
  },
  {
    id: 'llm-hallucinated-action',
    area: 'llm',
    title: 'LLM proposes an action type that does not exist',
    async run() {
      const { analysis, requests } = await analyzeAgainst((s) =>
        s.setFallback(
          tamperedFinal((doc) => {
            doc.remediation = {
              action: 'reboot_cluster',
              parameters: { cluster: 'orders-db' },
              rationale: 'trust me',
            };
          }),
        ),
      );
      return outcome(
        requests >= 2,
        {
          'no action proposed': analysis.remediation_plan.action === 'none',
          'not auto-executed': analysis.route !== 'auto',
          'the card says why': /reboot_cluster|action|parse|repair/i.test(
            `${analysis.root_cause} ${analysis.policy_notes.join(' ')}`,
          ),
        },
        { 'analysis recorded': Boolean(analysis.analyzed_at) },
        `${requests} request(s) → ${analysis.status}, ${analysis.route}, action ${analysis.remediation_plan.action}`,
      );
    },
  },
  {
    id: 'llm-out-of-policy-parameters',
    area: 'llm',
    title: 'LLM proposes parameters outside the policy',
    async run() {
      const server = await startOpenAIServer();
      try {
        server.setFallback(
          tamperedFinal((doc) => {
            doc.runbook_id = 'db-connection-exhaustion';
            doc.remediation = {
              action: 'rds_parameter',
              parameters: {
                parameter_name: 'max_connections',
                new_value: 5000,
                parameter_group: 'orders-db-params',
              },
              rationale: 'more is better',
            };
          }),
        );
        return await withRuntime(
          { LLM_MOCK: 'false', LLM_PROVIDER: 'vllm', VLLM_BASE_URL: server.baseURL },
          async (rt) => {
            const analysis = await analyzeIncident(
              rt,
              { incident: llmIncident('orders-db') },
              { knowledge: await kb() },
            );
            const plan = analysis.remediation_plan;
            const p = plan.parameters as Record<string, unknown>;
            return outcome(
              server.requests.length >= 2,
              {
                'the 5000 never leaves the analysis': !(
                  plan.action === 'rds_parameter' && Number(p.new_value) > 1000
                ),
                'not auto-executed': analysis.route !== 'auto',
                'the card says which rule': analysis.policy_notes.some((n) =>
                  /max_connections|bound|policy|runbook|outside/i.test(n),
                ),
              },
              { 'analysis recorded': Boolean(analysis.analyzed_at) },
              `→ ${analysis.route}, action ${plan.action}; notes: ${analysis.policy_notes.join(' | ').slice(0, 140)}`,
            );
          },
        );
      } finally {
        await server.close();
      }
    },
  },
];

// ── AWS faults on each remediation call ─────────────────────────────────────────────────────────
type RemediationTarget = {
  id: string;
  plan: Record<string, unknown>;
  service: string;
  inject: (rt: FaultRuntime, kind: 'throttled' | 'access_denied', n: number) => void;
  /** The provider call that changes the target (counted: it must succeed at most once). */
  watch: (rt: FaultRuntime) => { ok: number };
};

const TARGETS: RemediationTarget[] = [
  {
    id: 'rds_parameter',
    plan: MAX_CONNECTIONS_PLAN,
    service: 'orders-db',
    inject: (rt, kind, n) => rt.aws.rdsParams.failNext('ModifyDBClusterParameterGroup', kind, n),
    watch: (rt) => countCalls(rt.aws.rdsParams, 'setParameter'),
  },
  {
    id: 'lambda_restart',
    plan: RESTART_PLAN,
    service: 'payments-api',
    inject: (rt, kind, n) => rt.aws.lambda.failNext('UpdateFunctionConfiguration', kind, n),
    watch: (rt) => countCalls(rt.aws.lambda, 'updateFunction'),
  },
  {
    id: 'auto_scaling',
    plan: {
      action: 'auto_scaling',
      parameters: {
        resource_type: 'ecs_service',
        resource_id: 'service/bdp-cluster/stream-consumer',
        action: 'scale_out',
        amount: 1,
      },
      risk: 'low',
      runbook_id: 'queue-backlog',
    },
    service: 'stream-consumer',
    inject: (rt, kind, n) => rt.aws.autoScaling.failNext('SetCapacity', kind, n),
    watch: (rt) => countCalls(rt.aws.autoScaling, 'setCapacity'),
  },
  {
    id: 'eventbridge_event',
    plan: {
      action: 'eventbridge_event',
      parameters: { event_type: 'ALERT', detail: { service: 'payments-api', reason: 'fault test' } },
      risk: 'low',
      runbook_id: 'bad-deployment',
    },
    service: 'payments-api',
    inject: (rt, kind, n) => rt.aws.events.failNext('PutEvents', kind, n),
    watch: (rt) => countCalls(rt.aws.events, 'putEvents'),
  },
];

function awsFault(t: RemediationTarget, kind: 'throttled' | 'access_denied'): Fault {
  return {
    id: `aws-${kind === 'throttled' ? 'throttling' : 'access-denied'}-${t.id}`,
    area: 'aws',
    title: `${kind === 'throttled' ? 'Throttling' : 'AccessDenied'} on the ${t.id} call`,
    async run() {
      return withRuntime({}, async (rt) => {
        const state = stateWithPlan(
          t.service,
          t.plan,
          `inc-fault-${t.id.replace('_', '-')}-${kind === 'throttled' ? 't' : 'd'}`,
        );
        const watched = t.watch(rt);
        t.inject(rt, kind, 1);
        const key = `${state.incident.incident_id}#1`;
        const result = await executePlan(rt, { state, execution_key: key, dry_run: false });
        const again = await executePlan(rt, { state, execution_key: key, dry_run: false });
        const rows = await rt.aws.dynamo.query('remediation_history', {
          partition_value: result.resource_id,
        });
        const told =
          result.status === 'failed'
            ? new RegExp(kind === 'throttled' ? 'throttl' : 'access', 'i').test(result.error ?? '')
            : result.status === 'executed';
        return outcome(
          true,
          {
            'defined end state (executed or failed)':
              result.status === 'executed' || result.status === 'failed',
            'the result names the fault': told,
            'a retry returns the same result, no second action':
              again.status === result.status && again.execution_time === result.execution_time,
            // eventbridge_event's lifecycle notices also go through putEvents: count only the action's own.
            'the target changed at most once':
              t.id === 'eventbridge_event' || watched.ok <= (result.status === 'failed' ? 2 : 1),
          },
          { 'history row recorded': rows.length === 1 },
          `${result.status}${result.error ? `: ${result.error.slice(0, 110)}` : ''}`,
        );
      });
    },
  };
}

// ── DynamoDB races, approvals, remediation integrity ────────────────────────────────────────────
const APPROVER = { surface: 'slack' as const, user_id: 'U0APPROVER', display_name: 'Ana' };

async function pendingApproval(rt: FaultRuntime, id: string) {
  const state = stateWithPlan('orders-db', MAX_CONNECTIONS_PLAN, id);
  await createWorkflowStore(rt).saveState(state, { status: 'awaiting_approval' });
  const token = rt.aws.sfn.createTaskToken();
  await createApprovalService(rt).request({ state, task_token: token });
  return { state, token };
}

const integrityFaults: Fault[] = [
  {
    id: 'dynamodb-claim-race',
    area: 'dynamodb',
    title: 'Two workers race to execute the same remediation (conditional-check race)',
    async run() {
      return withRuntime({}, async (rt) => {
        const state = stateWithPlan('orders-db', MAX_CONNECTIONS_PLAN, 'inc-fault-race-0001');
        const sets = countCalls(rt.aws.rdsParams, 'setParameter');
        const key = 'inc-fault-race-0001#1';
        const results = await Promise.all(
          Array.from({ length: 10 }, () => executePlan(rt, { state, execution_key: key, dry_run: false })),
        );
        const executed = results.filter((r) => r.status === 'executed');
        const rows = await rt.aws.dynamo.query('remediation_history', {
          partition_value: results[0]!.resource_id,
        });
        return outcome(
          true,
          {
            'the parameter was changed exactly once': sets.ok === 1,
            'every caller gets a defined answer': results.every((r) =>
              ['executed', 'failed'].includes(r.status),
            ),
            'losers do not claim to have acted':
              executed.length >= 1 &&
              results
                .filter((r) => r.status === 'failed')
                .every((r) => /not acting twice|interrupted/i.test(r.error ?? '')),
          },
          { 'the winner recorded its result': rows.some((r) => r.result === 'executed') },
          `10 concurrent executions → ${sets.ok} change, ${executed.length} report executed, ${results.length - executed.length} told "not acting twice"`,
        );
      });
    },
  },
  {
    id: 'approval-100-concurrent',
    area: 'approval',
    title: '100 concurrent approvals of one request',
    async run() {
      return withRuntime({}, async (rt) => {
        const { token } = await pendingApproval(rt, 'inc-fault-appr-0100');
        const sends = countCalls(rt.aws.sfn, 'sendTaskSuccess');
        const svc = createApprovalService(rt);
        const outcomes = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            svc.decide({
              incident_id: 'inc-fault-appr-0100',
              decision: i % 2 ? 'approve' : 'reject',
              user: APPROVER,
            }),
          ),
        );
        const winners = outcomes.filter((o) => o.outcome === 'approved' || o.outcome === 'rejected');
        const stored = await createWorkflowStore(rt).getApproval('inc-fault-appr-0100');
        const waited = await Promise.race([
          rt.aws.sfn.waitForToken(token).then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 1000)),
        ]);
        return outcome(
          true,
          {
            'exactly one decision wins': winners.length === 1,
            'the others are told who decided':
              outcomes.filter((o) => o.outcome === 'already_decided').length === 99 &&
              outcomes.every((o) => o.outcome !== 'already_decided' || o.decided_by === 'U0APPROVER'),
            'the workflow resumed at most once': sends.count <= 1,
            'the workflow resumed': waited,
          },
          { 'the decision is stored': stored?.status === winners[0]?.outcome },
          `winner: ${winners[0]?.outcome}; ${outcomes.filter((o) => o.outcome === 'already_decided').length} told already decided; SendTaskSuccess ×${sends.count}`,
        );
      });
    },
  },
  {
    id: 'approval-expired',
    area: 'approval',
    title: 'An approval clicked after it expired',
    async run() {
      return withRuntime({ APPROVAL_TIMEOUT_SECONDS: '600' }, async (rt) => {
        await pendingApproval(rt, 'inc-fault-appr-0exp');
        const success = countCalls(rt.aws.sfn, 'sendTaskSuccess');
        rt.advance(601_000);
        const late = await createApprovalService(rt).decide({
          incident_id: 'inc-fault-appr-0exp',
          decision: 'approve',
          user: APPROVER,
        });
        const stored = await createWorkflowStore(rt).getApproval('inc-fault-appr-0exp');
        return outcome(
          true,
          {
            'the person is told it expired': late.outcome === 'expired',
            'nothing resumes the workflow': success.count === 0,
          },
          { 'the request ends expired, not lost': stored?.status === 'expired' },
          `late click → ${late.outcome}; stored status ${stored?.status}`,
        );
      });
    },
  },
  {
    id: 'remediation-half-way',
    area: 'remediation',
    title: 'A remediation fails half-way (the change lands, then the call fails): rollback runs',
    async run() {
      return withRuntime({}, async (rt) => {
        const group = 'orders-db-params';
        const before = await rt.aws.rdsParams.getParameter(group, 'max_connections');
        const original = rt.aws.rdsParams.setParameter.bind(rt.aws.rdsParams);
        let calls = 0;
        rt.aws.rdsParams.setParameter = async (g, n, v, m) => {
          calls++;
          await original(g, n, v, m);
          // The first call changes the value and then dies (connection reset after the write).
          if (calls === 1) throw new Error('socket hang up after ModifyDBClusterParameterGroup');
        };
        const state = stateWithPlan('orders-db', MAX_CONNECTIONS_PLAN, 'inc-fault-half-0001');
        const result = await executePlan(rt, {
          state,
          execution_key: 'inc-fault-half-0001#1',
          dry_run: false,
        });
        const after = await rt.aws.rdsParams.getParameter(group, 'max_connections');
        const rows = await rt.aws.dynamo.query('remediation_history', {
          partition_value: result.resource_id,
        });
        return outcome(
          calls >= 1,
          {
            'rollback ran (a second call)': calls === 2,
            'the previous value is back': after === before,
            'the result says failed and restored':
              result.status === 'failed' && /restored/i.test(result.error ?? ''),
          },
          { 'history row recorded': rows.length === 1 && rows[0]!.result === 'failed' },
          `max_connections ${before} → (200) → ${after}; ${result.status}: ${result.error?.slice(0, 90)}`,
        );
      });
    },
  },
  {
    id: 'crash-between-executed-and-recorded',
    area: 'remediation',
    title: 'A crash between "executed" and "recorded": the retry must not act twice',
    async run() {
      return withRuntime({}, async (rt) => {
        const state = stateWithPlan('orders-db', MAX_CONNECTIONS_PLAN, 'inc-fault-crash-0001');
        const key = 'inc-fault-crash-0001#1';
        // The first attempt claimed and acted, then died before recording: the claim has no result.
        const claim = await claimExecution(rt, state.incident.incident_id, key);
        await rt.aws.rdsParams.setParameter('orders-db-params', 'max_connections', '200', 'pending-reboot');
        const sets = countCalls(rt.aws.rdsParams, 'setParameter');
        const retry = await executePlan(rt, { state, execution_key: key, dry_run: false });
        const rows = await rt.aws.dynamo.query('remediation_history', { partition_value: retry.resource_id });
        return outcome(
          claim.kind === 'claimed',
          {
            'the retry does not act again': sets.count === 0,
            'the person is told to check by hand':
              retry.status === 'failed' && /not acting twice|interrupted/i.test(retry.error ?? ''),
          },
          { 'the retry is recorded': rows.length >= 1 },
          `retry → ${retry.status}: ${retry.error?.slice(0, 100)}`,
        );
      });
    },
  },
];

// ── Slack: rate limits, 5xx, duplicate deliveries (through the Lambda entry and the card publisher) ─
async function withSlack<T>(body: (h: Harness) => Promise<T>): Promise<T> {
  const h = await startHarness();
  try {
    return await body(h);
  } finally {
    // Let follow-on work (card updates after a decision) finish before the fake Slack goes away.
    await h.queue.idle();
    await new Promise((r) => setTimeout(r, 200));
    await h.close();
  }
}

/** A pending approval whose card goes to Slack through the worker; resolves once the worker is idle. */
async function slackApprovalCard(h: Harness, id: string) {
  const state = incidentState({ id });
  await createWorkflowStore(h.rt).saveState(state);
  const token = h.aws.sfn.createTaskToken();
  await createApprovalService(h.rt).request({ state, task_token: token });
  await h.queue.idle();
  const ref = (await h.svc.store.getChatRefs(id)).find((r) => r.surface === 'slack');
  return { token, ts: ref?.message_id };
}

const cardsFor = (h: Harness, id: string) =>
  h.api.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(id));

function slackPostFault(
  id: string,
  title: string,
  fault: Parameters<LocalSlackApi['failNext']>[1],
  n: number,
): Fault {
  return {
    id,
    area: 'slack',
    title,
    async run() {
      return withSlack(async (h) => {
        const incident = `inc-fault-${id}`;
        // A first card warms the clients up (auth.test etc.), so the fault lands on the card's postMessage.
        await slackApprovalCard(h, `inc-warmup-${id}`);
        const before = h.api.calls.length;
        h.api.failNext(n, fault);
        const t = performance.now();
        const { ts } = await slackApprovalCard(h, incident);
        const ms = Math.round(performance.now() - t);
        const refused = h.api.calls
          .slice(before)
          .filter((c) => !c.ok)
          .map((c) => c.method);
        const failed = refused.length;
        return outcome(
          refused.includes('chat.postMessage'),
          {
            'the card is posted in the end': Boolean(ts),
            'exactly one card (no duplicate from the retries)': cardsFor(h, incident).length === 1,
            ...(fault.status === 429
              ? { 'waited for Retry-After': ms >= fault.retry_after_s * 1000 - 50 }
              : {}),
          },
          { 'the card is linked to the incident': Boolean(ts) },
          `${failed} refused call(s) (${refused.join(', ')}), then posted after ${ms} ms; ${cardsFor(h, incident).length} card(s)`,
        );
      });
    },
  };
}

const slackFaults: Fault[] = [
  slackPostFault(
    'slack-429-retry-after',
    'Slack answers 429 with Retry-After',
    { status: 429, retry_after_s: 1 },
    1,
  ),
  slackPostFault('slack-5xx', 'Slack answers 503 twice', { status: 503 }, 2),
  {
    id: 'slack-duplicate-events',
    area: 'slack',
    title: 'Slack delivers a thread question three times (retry + app_mention twin)',
    async run() {
      return withSlack(async (h) => {
        const { ts } = await slackApprovalCard(h, 'inc-fault-slack-dup');
        h.answer = async () => 'answered once';
        const m = messageEvent('is it still happening?', APPROVER.user_id, ts);
        const acks = [
          await h.postEvent(m),
          await h.postEvent(m, { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' }),
          await h.postEvent(mentionOf(m)),
        ];
        await h.queue.idle();
        const replies = h.api
          .threadReplies(CHANNEL, ts ?? '')
          .filter((r) => JSON.stringify(r.blocks ?? r.text).includes('answered once'));
        return outcome(
          true,
          {
            'every delivery acked 200': acks.every((a) => a.statusCode === 200),
            'the agent ran once': h.followUps.length === 1,
            'one answer in the thread': replies.length === 1,
          },
          { 'the question was answered': replies.length >= 1 },
          `3 deliveries → ${h.followUps.length} agent run(s), ${replies.length} answer(s)`,
        );
      });
    },
  },
  {
    id: 'slack-retried-interaction',
    area: 'slack',
    title: 'An Approve click delivered twice (double click / retried interaction)',
    async run() {
      return withSlack(async (h) => {
        const { ts, token } = await slackApprovalCard(h, 'inc-fault-slack-btn');
        const settled = h.aws.sfn.waitForToken(token);
        const sends = countCalls(h.aws.sfn, 'sendTaskSuccess');
        const click = buttonClick('bdp_approve', 'inc-fault-slack-btn', APPROVER.user_id, ts ?? '');
        // A double click is two interactions (own trigger ids); the very same signed bytes again
        // are a replay, acked and dropped (issue 14 row 9, test/integration/slack/issue14-slack).
        const second = { ...click, trigger_id: `${click.trigger_id}-2` };
        const acks = await Promise.all([h.postPayload(click), h.postPayload(second)]);
        await h.queue.idle();
        const resumed = await Promise.race([
          settled.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 2000)),
        ]);
        const notes = h.api.ephemerals.filter((e) => e.user === APPROVER.user_id).map((e) => e.text);
        return outcome(
          true,
          {
            'both clicks acked 200': acks.every((a) => a.statusCode === 200),
            'the workflow resumed exactly once': sends.count === 1 && resumed,
            'the second click is told it was already approved': notes.some((t) =>
              /already approved/i.test(t),
            ),
          },
          {
            'the approval is stored':
              (await createWorkflowStore(h.rt).getApproval('inc-fault-slack-btn'))?.status === 'approved',
          },
          `2 clicks → SendTaskSuccess ×${sends.count}; told: ${notes.join(' | ').slice(0, 100)}`,
        );
      });
    },
  },
];

export const FAULTS: Fault[] = [
  ...llmFaults,
  ...TARGETS.flatMap((t) => [awsFault(t, 'throttled'), awsFault(t, 'access_denied')]),
  ...integrityFaults,
  ...slackFaults,
  ...deliveryFaults,
];

/** Runs one fault; a harness crash is reported as not survived (never hidden). */
export async function runFault(f: Fault): Promise<FaultOutcome & { id: string; title: string; ms: number }> {
  const t = performance.now();
  try {
    const o = await f.run();
    return {
      id: f.id,
      title: f.title,
      ...o,
      lost: o.lost ?? (o.data_lost ? 1 : 0),
      double_actions: o.double_actions ?? 0,
      ms: Math.round(performance.now() - t),
    };
  } catch (e) {
    return {
      id: f.id,
      title: f.title,
      injected: false,
      survived: false,
      data_lost: true,
      lost: 1,
      double_actions: 0,
      checks: { 'the fault run completed': false },
      detail: `harness error: ${(e as Error).message}`,
      ms: Math.round(performance.now() - t),
    };
  }
}
