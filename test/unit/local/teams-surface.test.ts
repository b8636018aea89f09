import { startWorkspace, type Workspace } from '../../../bot/local/workspace';
import { LocalConnector } from '../../integration/teams/connector';

// `npm run start:teams -- --no-playground`: the same platform and workflow as `npm start`, the Teams bot
// instead of Slack. A recording connector stands in for the Playground's `/_connector`.
let ws: Workspace;
const connector = new LocalConnector();
const USER = { id: '29:alex', name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-0000000000020' };
const BOT = { id: '28:bdp-bot', name: 'BDP Agent' };

beforeAll(async () => {
  await connector.start();
  ws = await startWorkspace({
    surface: 'teams',
    playground: false,
    scenario: 'db-connections',
    speed: 60,
    port: 0,
    env: { LOG_LEVEL: 'ERROR' },
  });
}, 60_000);

afterAll(async () => {
  const running = ws?.workflows.list().filter((e) => e.status === 'RUNNING') ?? [];
  await ws?.stop();
  // Executions cut short by the stop end (failed) soon after: let them, so nothing logs after the tests.
  await Promise.race([
    Promise.allSettled(running.map((e) => ws.workflows.result(e.execution_arn))),
    new Promise((r) => setTimeout(r, 10_000)),
  ]);
  await connector.stop();
});

async function until<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('teams mode: the bot answers /healthz; once a chat opens, the workflow posts its incident card there', async () => {
  expect(ws.surface).toBe('teams');
  expect(ws.slackApi).toBeUndefined();
  expect(ws.playground).toBeUndefined();
  expect(ws.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/messages$/);
  const health = await fetch(new URL('/healthz', ws.url));
  expect(health.status).toBe(200);

  // No conversation yet: the platform waits rather than losing the first card.
  const before = ws.clock.nowMs();
  await new Promise((r) => setTimeout(r, 1_500));
  expect(ws.clock.nowMs()).toBe(before);
  expect(connector.calls).toHaveLength(0);

  const r = await fetch(ws.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'conversationUpdate',
      id: 'act-1',
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: USER,
      recipient: BOT,
      conversation: { id: 'a:personal-chat', conversationType: 'personal', tenantId: 't-1' },
      membersAdded: [BOT, USER],
      channelData: { tenant: { id: 't-1' } },
    }),
  });
  expect(r.status).toBeLessThan(300);

  const card = await until(
    'an incident card in the chat',
    () =>
      connector.posted('a:personal-chat').find((c) => {
        const atts = c.body.attachments as { contentType?: string; content?: unknown }[] | undefined;
        return atts?.some(
          (a) =>
            a.contentType === 'application/vnd.microsoft.card.adaptive' &&
            JSON.stringify(a.content).includes('orders-db'),
        );
      }),
    40_000,
  );
  expect(card.conversation).toBe('a:personal-chat');
  const greeting = connector.posted('a:personal-chat')[0]!;
  expect(String(greeting.body.text)).toContain('incident cards will be posted in this conversation');
}, 60_000);
