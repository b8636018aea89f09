process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { MemorySaver } from '@langchain/langgraph';
import { analyzeIncident, answerFollowUp } from '../../../agent';
import { readableCitations } from '../../../agent/follow-up';
import { type KnowledgeBase, loadKnowledgeBase } from '../../../agent/knowledge';
import { ACTION_REVERSIBLE } from '../../../agent/prompts';
import { EXECUTORS } from '../../../pipeline/remediation/executors';
import type { IncidentState } from '../../../providers/domain';
import { type FollowUpIntent, followUpIntents } from '../../../providers/llm/mock';
import type { Runtime } from '../../../providers/runtime';
import { fakeRuntime, incidentFor, NOW } from './fakes';

/**
 * Follow-up questions answer what was asked (issue 19): each intent calls its tools and quotes their
 * values and times; sources read as tool names and time ranges, never as tool_call ids. A canned
 * answer (the same text for every question) fails every test here.
 */

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

let kb: KnowledgeBase;
let rt: Runtime;
let state: IncidentState;

beforeAll(async () => {
  kb = await loadKnowledgeBase({ dir: 'knowledge-base' });
  const base = fakeRuntime({
    metrics: { Duration: 'above', Errors: 'above' },
    rdsLogs: [['payments-api', 'ERROR', 'Task timed out after {n} seconds', 40]],
    cwLogs: [['/aws/lambda/payments-api', 'Task timed out after {n}.00 seconds', 30]],
    deployedAt: { 'payments-api': minutesAgo(25) },
  });
  // Earlier incidents of the service, as the workflow-state table holds them.
  const past = [
    {
      workflow_id: 'inc-payments-api-0000',
      timestamp: 'STATE',
      service: 'payments-api',
      status: 'resolved',
      created_at: '2026-11-20T03:12:00.000Z',
      state_json: JSON.stringify({
        incident: { title: 'payments-api: Duration above band' },
        analysis: { root_cause: 'Timeouts after a release', remediation_plan: { action: 'lambda_restart' } },
      }),
    },
  ];
  // An executed remediation, keyed the way the executors key history rows (not by the service's name).
  const done = [
    {
      resource_id: 'lambda:payments-api',
      execution_time: minutesAgo(20),
      service: 'payments-api',
      action: 'lambda_restart',
      parameters: { function_name: 'payments-api' },
      status: 'executed',
    },
  ];
  rt = {
    ...base,
    aws: {
      ...base.aws,
      dynamo: {
        ...base.aws.dynamo,
        scan: async (table) =>
          table === 'workflow_state' ? past : table === 'remediation_history' ? done : [],
      },
    },
  };
  const incident = incidentFor('payments-api', 'payments-api: Duration above band');
  const analysis = await analyzeIncident(rt, { incident }, { knowledge: kb });
  state = { incident, analysis, failed_attempts: [], replan_count: 0 };
});

let thread = 0;
const ask = async (question: string) =>
  (
    await answerFollowUp(
      rt,
      { state, thread_id: `T${++thread}`, question, user: 'U123' },
      { knowledge: kb, checkpointer: new MemorySaver() },
    )
  ).answer;

const NO_IDS = /\[?\bcall_\d+(_\d+)?\]?|tool_call_id/;
const TIME = /\d{2}:\d{2} UTC/;

/** Each intent: phrasings used while building the cues, and what its answer must contain. */
const CASES: { intent: FollowUpIntent; phrasings: string[]; expect: RegExp[] }[] = [
  {
    intent: 'logs',
    phrasings: ['What error do the logs show?', 'which messages are failing?'],
    expect: [/Task timed out after ⟨\*⟩/, /\d+× ERROR/, /first at \d{2}:\d{2} UTC/, /\(unified logs, /],
  },
  {
    intent: 'metrics',
    phrasings: ['How bad is the latency?', 'show me the metrics'],
    expect: [
      /Duration \(p95\) is [\d,.]+ \(band [\d,.]+–[\d,.]+\)/,
      /\(CloudWatch metrics, \d{2}:\d{2}–08:00 UTC\)/,
    ],
  },
  {
    intent: 'changes',
    phrasings: ['which version was deployed and by whom?', 'What changed before this started?'],
    expect: [
      /deployment of payments-api at 07:35 UTC/,
      /remediation of lambda:payments-api at 07:40 UTC — lambda_restart/,
      /\(change history, last 24 h to 08:00 UTC\)/,
    ],
  },
  {
    intent: 'history',
    phrasings: ['did this happen before?', 'Have we seen this before?'],
    expect: [/1 earlier incident/, /2026-11-20 03:12 UTC "payments-api: Duration above band" → resolved/],
  },
  {
    intent: 'approve',
    phrasings: ['what happens if I approve?', 'What would the action do?'],
    expect: [/If you approve: the workflow runs lambda_restart/, /verifies whether Duration/, /Rollback/],
  },
  {
    intent: 'undo',
    phrasings: ['how do I undo it?', 'can I roll this back?'],
    expect: [/^Undo: /, /Rollback \(approvers only\)/],
  },
  {
    intent: 'why',
    phrasings: ['why a timeout and not a bad deployment?', 'What other causes did you rule out?'],
    expect: [/^Why this cause: /, /Task timed out/, /\(log and metric patterns, /],
  },
  {
    intent: 'current',
    phrasings: ['is it still happening?', 'Has it recovered yet?'],
    expect: [/^Right now payments-api is still affected/, /Duration \(p95\) is [\d,.]+/, TIME],
  },
];

describe('follow-up intents (mock model, real tools)', () => {
  test.each(CASES.flatMap((c) => c.phrasings.map((p) => [c.intent, p, c.expect] as const)))(
    '%s: "%s" is answered with its own evidence, sources by name',
    async (_intent, question, expected) => {
      const answer = await ask(question);
      for (const re of expected) expect(answer).toMatch(re);
      expect(answer).not.toMatch(NO_IDS);
      expect(answer).not.toMatch(/^Root cause:/);
    },
  );

  test('different questions get different answers (a canned reply fails)', async () => {
    const answers = await Promise.all(CASES.map((c) => ask(c.phrasings[0]!)));
    expect(new Set(answers).size).toBe(CASES.length);
  });

  test('a question with two intents gets both parts: logs, and their onset against the deploy', async () => {
    const answer = await ask('What error do the logs show, and when did it start relative to the deploy?');
    expect(answer).toMatch(/^Logs: /m);
    expect(answer).toMatch(/started \d+ min (after|before) the deployment of payments-api at 07:35 UTC/);
    expect(answer).toMatch(/^Changes in the last 24 h: /m);
  });

  test('a general question still answers from the record, citing by tool name', async () => {
    const answer = await ask('Why did this happen?');
    expect(answer).toMatch(/^Root cause: /);
    expect(answer).toMatch(/\((CloudWatch metrics|unified logs|CloudWatch Logs|change history)\)/);
    expect(answer).not.toMatch(NO_IDS);
  });
});

describe('readableCitations', () => {
  test('known ids become names, unknown call ids are dropped, other brackets stay', () => {
    const labels = new Map([['call_2_1', 'CloudWatch metrics, 07:00–08:00 UTC']]);
    expect(readableCitations('Duration is 900 [call_2_1], errors [call_9_9] in [ERROR] lines.', labels)).toBe(
      'Duration is 900 (CloudWatch metrics, 07:00–08:00 UTC), errors in [ERROR] lines.',
    );
  });
});

test('the follow-up reversibility table matches the executors', () => {
  for (const [action, ex] of Object.entries(EXECUTORS))
    expect(ACTION_REVERSIBLE[action as never]).toBe(ex.reversible);
});

/**
 * Phrasings written before tuning and never used to adjust the cues: their score is reported, and
 * must stay above a floor (a keyword list that only knows the tuning sentences scores far lower).
 */
const HELD_OUT: [FollowUpIntent, string][] = [
  ['logs', 'Show me the exceptions being thrown'],
  ['logs', 'what is in the log output?'],
  ['metrics', 'What do the latency graphs look like?'],
  ['metrics', 'How high is the error rate?'],
  ['changes', 'Anything shipped lately?'],
  ['changes', 'Did someone push a new build today?'],
  ['history', 'Has payments-api had this problem in the past?'],
  ['history', 'Is this a repeat offender?'],
  ['approve', 'What exactly gets run when I hit Approve?'],
  ['approve', 'If I say yes, what changes?'],
  ['undo', 'Can we reverse the scale-out later?'],
  ['undo', 'How would I back this out if it goes wrong?'],
  ['why', "Couldn't this be a bad query instead?"],
  ['why', 'What rules out a code bug?'],
  ['current', 'Is it healthy again?'],
  ['current', 'Are we still on fire?'],
];

test('held-out phrasings: intent recognised for most', () => {
  const hits = HELD_OUT.filter(([intent, q]) => followUpIntents(q)[0] === intent);
  const misses = HELD_OUT.filter((x) => !hits.includes(x));
  // Reported figure (see the issue note); the floor catches a regression to exact-string matching.
  console.log(
    `held-out follow-up intents: ${hits.length}/${HELD_OUT.length}; missed: ${JSON.stringify(misses)}`,
  );
  expect(hits.length / HELD_OUT.length).toBeGreaterThanOrEqual(0.6);
});
