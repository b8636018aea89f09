import { createBotServices } from '../../../bot/core';
import { createTeamsLambdaHandler, type FunctionUrlEvent } from '../../../bot/teams/lambda';
import { startTeamsServer } from '../../../bot/teams/server';
import { JobDispatcher } from '../../../bot/worker/dispatcher';
import { InProcessJobQueue } from '../../../bot/worker/queue';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { createRuntime, type Runtime } from '../../../providers/runtime';
import { LocalConnector } from './connector';
import { APPROVER, BOT, CHANNEL_CONV } from './harness';

const NO_CREDS = {
  MicrosoftAppId: '',
  MicrosoftAppPassword: '',
  MicrosoftAppTenantId: '',
  MicrosoftAppType: '',
} as const;
const WORKER = 'bdp-bot-worker';

let connector: LocalConnector;
let aws: MockAwsProviders;
let rt: Runtime;
beforeAll(async () => {
  connector = new LocalConnector();
  await connector.start();
  const config = loadConfig({ BOT_WORKER_FUNCTION_NAME: WORKER });
  aws = await createMockAwsProviders({ config });
  rt = await createRuntime(config, { aws });
  aws.lambda.addFunction(WORKER);
});
afterAll(async () => {
  await connector.stop();
  await aws.close();
});

const activity = (text: string, id: string) => ({
  type: 'message',
  id,
  channelId: 'msteams',
  serviceUrl: connector.url,
  from: APPROVER,
  recipient: BOT,
  conversation: { id: CHANNEL_CONV, conversationType: 'channel' },
  text,
});
/** A Function URL event: body base64-encoded as Function URLs send it. */
const event = (body: string, headers: Record<string, string> = {}, method = 'POST'): FunctionUrlEvent => ({
  rawPath: '/api/messages',
  headers: { 'content-type': 'application/json', ...headers },
  requestContext: { http: { method, path: '/api/messages' } },
  body: Buffer.from(body, 'utf8').toString('base64'),
  isBase64Encoded: true,
});

test('the Lambda refuses to run without app credentials (a Function URL is public)', async () => {
  await expect(createTeamsLambdaHandler({ rt })).rejects.toThrow(
    /MicrosoftAppId is not set: the Teams Lambda refuses unauthenticated use/,
  );
});

test('with app credentials, a request without a Bot Framework token is refused with 401 and nothing is sent', async () => {
  const handler = await createTeamsLambdaHandler({
    rt,
    credentials: {
      ...NO_CREDS,
      MicrosoftAppId: '6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b',
      MicrosoftAppPassword: 'p',
    },
  });
  const before = connector.calls.length;
  const r = await handler(event(JSON.stringify(activity('help', 'lam-1'))));
  expect(r.statusCode).toBe(401);
  expect(connector.calls.length).toBe(before);
});

test('an activity through the Function URL is answered, and long work goes to the worker Lambda', async () => {
  const handler = await createTeamsLambdaHandler({ rt, svc: createBotServices(rt), credentials: NO_CREDS });
  const help = await handler(event(JSON.stringify(activity('<at>BDP</at> help', 'lam-2'))));
  expect(help.statusCode).toBe(200);
  expect(String(connector.calls.at(-1)?.body.text)).toContain('BDP Agent commands');

  const r = await handler(event(JSON.stringify(activity('analyze payments-api', 'lam-3'))));
  expect(r.statusCode).toBe(200);
  const inv = aws.lambda.invocations.at(-1);
  expect(inv?.function_name).toBe(WORKER);
  expect(inv?.payload).toMatchObject({
    type: 'analyze',
    surface: 'teams',
    data: { service: 'payments-api' },
  });
  // The job names the conversation to answer in, never a token or secret.
  expect(JSON.stringify(inv?.payload)).toContain(CHANNEL_CONV);
});

test('bad requests get a 4xx naming what was wrong', async () => {
  const handler = await createTeamsLambdaHandler({ rt, credentials: NO_CREDS });
  const notJson = await handler(event('{nope'));
  expect(notJson.statusCode).toBe(400);
  expect(notJson.body).toContain('the body is not JSON');
  expect((await handler(event('[]'))).statusCode).toBe(400);
  expect((await handler(event('{}', {}, 'GET'))).statusCode).toBe(405);
});

test('a shared worker (the local workspace) gets the Teams surface registered with the server adapter', async () => {
  const d = new JobDispatcher();
  const queue = new InProcessJobQueue((job) => d.run(job));
  const s = await startTeamsServer({
    rt,
    port: 0,
    queue,
    dispatcher: d,
    credentials: NO_CREDS,
    attachNotifier: false,
  });
  try {
    expect(d.registered).toContain('teams');
    expect(s.queue).toBe(queue);
    await expect(startTeamsServer({ rt, port: 0, dispatcher: d, credentials: NO_CREDS })).rejects.toThrow(
      'a dispatcher needs the queue',
    );
  } finally {
    await s.stop();
  }
});
