import { LocalSlackApi } from '../../../bot/local/slack-api';
import { handler as actionsHandler } from '../../../bot/worker/actions-lambda';
import { handler as followUpHandler } from '../../../bot/worker/followup-lambda';
import { handler } from '../../../bot/worker/lambda';
import { createWorkflowStore } from '../../../pipeline/state';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { createRuntime, type Runtime, setRuntime } from '../../../providers/runtime';
import { BOT_TOKEN, CHANNEL, incidentState } from './fixtures';

let api: LocalSlackApi;
let aws: MockAwsProviders;
let rt: Runtime;

beforeAll(async () => {
  api = new LocalSlackApi({ tokens: [BOT_TOKEN] });
  const url = await api.start();
  const config = loadConfig({ SLACK_API_URL: url, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_CHANNEL_ID: CHANNEL });
  aws = await createMockAwsProviders({ config });
  rt = await createRuntime(config, { aws });
  setRuntime(rt);
});
afterAll(async () => {
  await api.stop();
  await aws.close();
});

test('the worker Lambda posts the card for a notice job, and drops a payload that is not a job', async () => {
  const state = incidentState({ id: 'inc-worker-lambda-1' });
  await createWorkflowStore(rt).saveState(state);
  const r = await handler({
    type: 'notice',
    notice: { kind: 'analyzed', at: new Date().toISOString(), state, chat_refs: [] },
  });
  expect(r).toEqual({ ok: true, job: 'notice analyzed inc-worker-lambda-1' });
  const ref = (await createWorkflowStore(rt).getChatRefs('inc-worker-lambda-1'))[0];
  expect(ref).toMatchObject({ surface: 'slack', channel: CHANNEL });
  expect(api.findMessage(CHANNEL, ref?.message_id ?? '')?.blocks).toBeDefined();
  await expect(handler({ type: 'notice', notice: { kind: 'nope' } })).resolves.toEqual({ ok: false });
});

test('a follow-up job runs the real agent (mock LLM) and replaces "Thinking…" with its answer in the thread', async () => {
  const id = 'inc-worker-lambda-1';
  const ref = (await createWorkflowStore(rt).getChatRefs(id))[0];
  if (!ref) throw new Error('no card');
  const job = {
    type: 'followup',
    surface: 'slack',
    data: {
      incident_id: id,
      channel: CHANNEL,
      thread_ts: ref.message_id,
      question: 'what changed before this started?',
      user: 'U0ASKER',
    },
  };
  // Only the follow-up worker answers; the actions worker (which may act) refuses a question.
  await expect(actionsHandler(job)).resolves.toMatchObject({ ok: false });
  expect(api.threadReplies(CHANNEL, ref.message_id)).toHaveLength(0);
  await followUpHandler(job);
  const replies = api.threadReplies(CHANNEL, ref.message_id);
  const answer = replies.at(-1);
  expect(answer?.edited).toBeDefined(); // the placeholder was replaced in place
  expect(answer?.text).not.toBe('Thinking…');
  expect(answer?.text.length).toBeGreaterThan(10);
  expect(answer?.text).not.toMatch(/^Sorry, I could not answer/);
});

test('each worker runs only its own jobs: the cards worker forwards the others to their functions, the rest refuse', async () => {
  const rollback = {
    type: 'rollback',
    surface: 'slack',
    data: { incident_id: 'inc-worker-lambda-1', user: 'U0ASKER', channel: CHANNEL },
  };
  // Without the actions function configured, nothing may run it here.
  await expect(handler(rollback)).resolves.toMatchObject({ ok: false });
  await expect(followUpHandler(rollback)).resolves.toMatchObject({ ok: false });
  const routed = await createRuntime(
    loadConfig({
      SLACK_API_URL: rt.config.SLACK_API_URL,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      BOT_WORKER_FUNCTION_NAME: 'bdp-bot-worker',
      BOT_ACTIONS_FUNCTION_NAME: 'bdp-bot-actions',
    }),
    { aws },
  );
  aws.lambda.addFunction('bdp-bot-actions', { memory_mb: 512, timeout_s: 60 });
  setRuntime(routed);
  try {
    await expect(handler(rollback)).resolves.toEqual({
      ok: true,
      job: 'slack rollback inc-worker-lambda-1',
      forwarded: 'bdp-bot-actions',
    });
    expect(aws.lambda.invocations.at(-1)).toMatchObject({ function_name: 'bdp-bot-actions' });
  } finally {
    setRuntime(rt);
  }
});
