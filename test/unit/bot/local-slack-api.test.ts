import { WebClient } from '@slack/web-api';
import { LocalSlackApi, type SlackApiChange } from '../../../bot/local/slack-api';

let api: LocalSlackApi;
let client: WebClient;
beforeEach(async () => {
  api = new LocalSlackApi({
    tokens: ['xoxb-good'],
    usergroups: { S1: ['U1', 'U2'] },
    users: { U1: { name: 'alice' } },
  });
  const url = await api.start();
  client = new WebClient('xoxb-good', {
    slackApiUrl: url,
    retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 },
  });
});
afterEach(() => api.stop());

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

test('binds 127.0.0.1 and answers auth.test like Slack (URL ends with /)', async () => {
  expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  const r = await client.auth.test();
  expect(r).toMatchObject({ ok: true, user_id: 'U0BDPBOT', bot_id: 'B0BDPBOT' });
});

test('a wrong or missing token gets invalid_auth / not_authed', async () => {
  const bad = new WebClient('xoxb-bad', { slackApiUrl: api.url, retryConfig: { retries: 0 } });
  await expect(bad.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  const res = await fetch(`${api.url}auth.test`, { method: 'POST' });
  expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
});

test('keeps messages, threads and updates, and emits a change for each', async () => {
  const changes: SlackApiChange['kind'][] = [];
  api.on('change', (c: SlackApiChange) => changes.push(c.kind));
  const p = await client.chat.postMessage({
    channel: 'C1',
    text: 'card',
    blocks: [section('hello')] as never,
  });
  await client.chat.postMessage({ channel: 'C1', text: 'reply', thread_ts: p.ts });
  await client.chat.update({
    channel: 'C1',
    ts: p.ts ?? '',
    text: 'card v2',
    blocks: [section('v2')] as never,
  });
  await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'psst' });
  expect(api.findMessage('C1', p.ts ?? '')?.text).toBe('card v2');
  expect(api.threadReplies('C1', p.ts ?? '').map((m) => m.text)).toEqual(['reply']);
  expect(api.ephemerals[0]).toMatchObject({ user: 'U1', text: 'psst' });
  expect(changes).toEqual(['posted', 'posted', 'updated', 'ephemeral']);
  await expect(client.chat.update({ channel: 'C1', ts: '1.999', text: 'x' })).rejects.toMatchObject({
    data: { error: 'message_not_found' },
  });
});

test('malformed blocks are rejected with invalid_blocks and a pointer to the problem', async () => {
  const cases: unknown[][] = [
    [{ type: 'sectionz', text: { type: 'mrkdwn', text: 'x' } }],
    [section('x'.repeat(3001))],
    [{ type: 'header', text: { type: 'mrkdwn', text: 'header must be plain' } }],
    Array.from({ length: 51 }, () => section('x')),
    [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'A' } }],
      },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'B' } }],
      },
    ],
    [
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'a',
            value: 'v'.repeat(2001),
            text: { type: 'plain_text', text: 'A' },
          },
        ],
      },
    ],
  ];
  for (const blocks of cases) {
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 't', blocks: blocks as never }),
    ).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        response_metadata: { messages: [expect.stringMatching(/^\[ERROR\] .*json-pointer:\/blocks/)] },
      },
    });
  }
  expect(api.messages).toHaveLength(0);
});

test('usergroups.users.list, users.info, conversations.replies', async () => {
  expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1', 'U2']);
  await expect(client.usergroups.users.list({ usergroup: 'S9' })).rejects.toMatchObject({
    data: { error: 'no_such_subteam' },
  });
  expect((await client.users.info({ user: 'U1' })).user?.name).toBe('alice');
  const p = await client.chat.postMessage({ channel: 'C1', text: 'parent' });
  api.postAsUser('U1', 'C1', 'question', p.ts);
  const r = await client.conversations.replies({ channel: 'C1', ts: p.ts ?? '' });
  expect(r.messages?.map((m) => m.text)).toEqual(['parent', 'question']);
});

test('injected 429 (with Retry-After) and 5xx faults: the client retries and then succeeds', async () => {
  api.failNext(1, { status: 429, retry_after_s: 0 });
  api.failNext(1, { status: 503 });
  const r = await client.chat.postMessage({ channel: 'C1', text: 'after faults' });
  expect(r.ok).toBe(true);
  expect(api.calls.map((c) => c.status)).toEqual([429, 503, 200]);
  expect(api.calls.every((c) => c.method === 'chat.postMessage')).toBe(true);
});
