import { createBotServices } from '../../../bot/core';
import { NO_SUCH_APPROVAL } from '../../../bot/core/decision-messages';
import { LocalSlackApi, SlackEventSender } from '../../../bot/local/slack-api';
import { claimReplay } from '../../../bot/slack/replay';
import { type RunningSlackServer, startSlackServer } from '../../../bot/slack/server';
import { InProcessJobQueue } from '../../../bot/worker/queue';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { createRuntime } from '../../../providers/runtime';
import { APPROVER, BOT_TOKEN, form, SIGNING_SECRET, sign } from './fixtures';
import { slashCommand } from './payloads';

let api: LocalSlackApi;
let aws: MockAwsProviders;
let server: RunningSlackServer;
let ran: string[];

beforeAll(async () => {
  api = new LocalSlackApi({ tokens: [BOT_TOKEN] });
  const url = await api.start();
  const config = loadConfig({
    SLACK_API_URL: url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
  });
  aws = await createMockAwsProviders({ config });
  const rt = await createRuntime(config, { aws });
  ran = [];
  // The workers claim a job's replay key before acting (bot/slack/surface.ts); this stub does the same.
  const queue = new InProcessJobQueue(async (job) => {
    if (
      job.type !== 'notice' &&
      job.replay_key &&
      !(await claimReplay(aws.dynamo, job.replay_key, new Date()))
    )
      return;
    ran.push(job.type);
  });
  server = await startSlackServer({ rt, svc: createBotServices(rt), queue, port: 0, attachNotifier: false });
});
afterAll(async () => {
  await server.stop();
  await api.stop();
  await aws.close();
});

const post = (body: string, headers: Record<string, string>) =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });

test('listens on 127.0.0.1 only, at /slack/events', () => {
  const addr = server.server.address();
  expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/events$/);
});

test('a signed /bdp help gets the usage; a bad signature gets 401', async () => {
  const body = form(slashCommand('help', APPROVER));
  const ok = await post(body, sign(body));
  expect(ok.status).toBe(200);
  expect(JSON.stringify(await ok.json())).toContain('/bdp analyze <service>');
  const bad = await post(body, sign(body, undefined, 'wrong-secret'));
  expect(bad.status).toBe(401);
});

test('/bdp analyze is acked with the ephemeral and the analysis is queued for the worker', async () => {
  const body = form(slashCommand('analyze orders-db', APPROVER));
  const r = await post(body, sign(body));
  const json = (await r.json()) as { response_type: string; text: string };
  expect(json.response_type).toBe('ephemeral');
  expect(json.text).toBe('Analysing orders-db…');
  await (server.queue as InProcessJobQueue).idle();
  expect(ran).toContain('analyze');
});

test('the local workspace sender drives the HTTP entry like Slack: commands, clicks, thread messages', async () => {
  const sender = new SlackEventSender({ url: server.url, signing_secret: SIGNING_SECRET });
  const help = await sender.slashCommand('/bdp', 'help', APPROVER, 'C0INCIDENTS');
  expect(help.status).toBe(200);
  expect(help.body).toContain('/bdp status');
  const click = await sender.clickButton({
    action_id: 'bdp_approve',
    value: 'inc-nothing-here-1',
    user_id: APPROVER,
    channel: 'C0INCIDENTS',
    message_ts: '1.000001',
  });
  expect(click.status).toBe(200);
  // The decision (and its answer) is the actions worker's: the click only queues it.
  for (let i = 0; i < 100 && !ran.includes('decide'); i++) await new Promise((r) => setTimeout(r, 50));
  expect(ran).toContain('decide');
  const before = ran.length;
  const msg = await sender.message({
    user: APPROVER,
    channel: 'C0INCIDENTS',
    text: 'hello',
    ts: '2.000001',
    thread_ts: '1.000001',
  });
  expect(msg.status).toBe(200);
  // The HTTP receiver acks events before its listener runs; whose thread it is, the worker looks up.
  for (let i = 0; i < 100 && ran.length === before; i++) await new Promise((r) => setTimeout(r, 50));
  await (server.queue as InProcessJobQueue).idle();
  expect(ran.slice(before)).toEqual(['thread']);
});

test('issue 14 row 9 (HTTP entry): a future timestamp gets 401; a replayed /bdp analyze queues one run', async () => {
  const b = form(slashCommand('analyze payments-api', APPROVER));
  const future = await post(b, sign(b, Math.floor(Date.now() / 1000) + 3600));
  expect(future.status).toBe(401);
  const before = ran.filter((t) => t === 'analyze').length;
  const headers = sign(b);
  expect((await post(b, headers)).status).toBe(200);
  expect((await post(b, headers)).status).toBe(200);
  await new Promise((r) => setTimeout(r, 100));
  expect(ran.filter((t) => t === 'analyze').length - before).toBe(1);
});
