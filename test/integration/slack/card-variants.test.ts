import { Logger } from '@aws-lambda-powertools/logger';
import { createBotServices } from '../../../bot/core';
import { LocalSlackApi, MessageBlocks } from '../../../bot/local/slack-api';
import { SlackCardPublisher } from '../../../bot/slack/cards';
import { createSlackClient } from '../../../bot/slack/client';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { type IncidentNotice, NoticeKind } from '../../../providers/domain';
import { createRuntime, type Runtime } from '../../../providers/runtime';
import { BOT_TOKEN, incidentState, ONCALL } from './fixtures';

let api: LocalSlackApi;
let aws: MockAwsProviders;
let rt: Runtime;
let publisher: SlackCardPublisher;

beforeAll(async () => {
  api = new LocalSlackApi({ tokens: [BOT_TOKEN] });
  const url = await api.start();
  const config = loadConfig({ SLACK_API_URL: url, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_ONCALL_GROUP: ONCALL });
  aws = await createMockAwsProviders({ config });
  rt = await createRuntime(config, { aws });
  publisher = new SlackCardPublisher(createSlackClient(BOT_TOKEN, config), createBotServices(rt), {
    channel: config.SLACK_CHANNEL_ID,
    oncall_group: ONCALL,
    logger: new Logger({ serviceName: 'test', logLevel: 'ERROR' }),
  });
});
afterAll(async () => {
  await api.stop();
  await aws.close();
});

const huge = `${'The connection pool was exhausted because '.repeat(200)}end.`;
const notice = (
  kind: IncidentNotice['kind'],
  state: IncidentNotice['state'],
  extra: Partial<IncidentNotice> = {},
): IncidentNotice => ({
  kind,
  at: new Date(Date.now() + NoticeKind.options.indexOf(kind)).toISOString(),
  state,
  chat_refs: [],
  ...extra,
});

test.each(['auto', 'approval', 'escalate'] as const)(
  'every later state of a %s card is accepted by Slack limits, updates one message in place, and long text goes to the thread',
  async (route) => {
    const id = `inc-variant-${route}`;
    const state = incidentState({
      id,
      route,
      confidence: route === 'auto' ? 0.9 : route === 'approval' ? 0.7 : 0.3,
      evidence: 30,
      rootCause: huge.slice(0, 2000),
      remediation: route === 'auto' ? {} : undefined,
    });
    const before = api.calls.length;
    for (const kind of NoticeKind.options) {
      await publisher.deliver(
        notice(kind, state, {
          actor: 'U0APPROVER',
          detail: kind === 'failed' ? huge.slice(0, 3000) : undefined,
          execution_arn: 'arn:aws:states:us-east-1:123456789012:execution:bdp-main-workflow:run-1',
        }),
      );
    }
    const mine = api.calls.slice(before);
    const failures = mine.filter((c) => !c.ok);
    expect(failures).toEqual([]);
    const posts = mine.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined);
    expect(posts).toHaveLength(1);
    const updates = mine.filter((c) => c.method === 'chat.update');
    expect(updates).toHaveLength(NoticeKind.options.length - 1);
    const ts =
      api.messages.find(
        (m) => m.channel === 'C0INCIDENTS' && JSON.stringify(m.blocks).includes(id) && !m.thread_ts,
      )?.ts ?? '';
    const final = JSON.stringify(api.findMessage('C0INCIDENTS', ts)?.blocks);
    expect(final).toContain('Rolled back by <@U0APPROVER>');
    // every card version kept to the limits; the full evidence list went to the thread
    for (const u of updates) expect(MessageBlocks.safeParse(u.args.blocks).success).toBe(true);
    const thread = api.threadReplies('C0INCIDENTS', ts).map((m) => JSON.stringify(m.blocks));
    expect(thread.some((t) => t.includes('All evidence') && t.includes('30. Evidence claim number 30'))).toBe(
      true,
    );
    if (route === 'escalate') expect(JSON.stringify(posts[0]?.args.blocks)).toContain(`<!subteam^${ONCALL}>`);
    if (route === 'approval') expect(JSON.stringify(posts[0]?.args.blocks)).toContain('bdp_approve');
    if (route === 'auto') {
      const executed = updates[NoticeKind.options.indexOf('executed') - 1];
      expect(JSON.stringify(executed?.args.blocks)).toContain('bdp_rollback');
    }
  },
);

test('a notice older than the one shown never rolls the card back', async () => {
  const id = 'inc-variant-order';
  const state = incidentState({ id });
  const t0 = Date.now();
  await publisher.deliver({
    kind: 'approval_requested',
    at: new Date(t0).toISOString(),
    state,
    chat_refs: [],
  });
  await publisher.deliver({
    kind: 'approved',
    at: new Date(t0 + 10).toISOString(),
    state,
    actor: 'U0APPROVER',
    chat_refs: [],
  });
  await publisher.deliver({
    kind: 'approval_requested',
    at: new Date(t0 + 5).toISOString(),
    state,
    chat_refs: [],
  });
  const card = api.messages.find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(id));
  expect(JSON.stringify(card?.blocks)).toContain('Approved by');
  expect(JSON.stringify(card?.blocks)).not.toContain('bdp_approve');
});

test('two notices racing for a new incident make one card', async () => {
  const id = 'inc-variant-race';
  const state = incidentState({ id });
  const t0 = Date.now();
  await Promise.all([
    publisher.deliver({ kind: 'analyzed', at: new Date(t0).toISOString(), state, chat_refs: [] }),
    publisher.deliver({
      kind: 'approval_requested',
      at: new Date(t0 + 1).toISOString(),
      state,
      chat_refs: [],
    }),
  ]);
  const cards = api.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(id));
  expect(cards).toHaveLength(1);
});

test('text from logs cannot ping the channel or inject links', async () => {
  const id = 'inc-variant-inject';
  const state = incidentState({
    id,
    rootCause: 'payload said <!channel> and <https://evil.example|click> & more',
  });
  await publisher.deliver({ kind: 'analyzed', at: new Date().toISOString(), state, chat_refs: [] });
  const card = JSON.stringify(
    api.messages.find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(id))?.blocks,
  );
  expect(card).toContain('&lt;!channel&gt;');
  expect(card).not.toContain('<!channel>');
  expect(card).not.toContain('<https://evil.example');
});

test('a Slack outage on the first post gives the claim back, so the retry posts the card', async () => {
  const id = 'inc-variant-fault';
  const state = incidentState({ id });
  api.failNext(4, { status: 503 });
  await expect(
    publisher.deliver({ kind: 'analyzed', at: new Date().toISOString(), state, chat_refs: [] }),
  ).rejects.toThrow(/chat.postMessage of the card for inc-variant-fault failed/);
  await publisher.deliver({ kind: 'analyzed', at: new Date().toISOString(), state, chat_refs: [] });
  expect(api.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(id))).toHaveLength(1);
});
