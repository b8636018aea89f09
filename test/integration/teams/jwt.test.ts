import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { createBotServices } from '../../../bot/core';
import { createTeamsAdapter } from '../../../bot/teams/adapter';
import { BdpTeamsBot } from '../../../bot/teams/bot';
import { createConversationStore } from '../../../bot/teams/conversations';
import { GENERIC_ERRORS, processActivity } from '../../../bot/teams/http';
import { InProcessJobQueue } from '../../../bot/worker/queue';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { createRuntime } from '../../../providers/runtime';

// The SDK's JWT check with a real key set: the Entra endpoint points at a local JWKS server, so tokens
// signed here are verified exactly as Teams' would be (signature, audience, issuer, expiry, tenant).
const APP_ID = '6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b';
const TENANT = '11111111-2222-4333-8444-555555555555';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

const good = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 });
let jwks: Server;
let authority = '';
let aws: MockAwsProviders;
/** Ids of the activities that reached the bot. */
const ran: string[] = [];
let handle: (
  headers: Record<string, string>,
  body?: Record<string, unknown>,
) => ReturnType<typeof processActivity>;

function sign(claims: Record<string, unknown>, key: KeyObject = good.privateKey, kid = 'k1'): string {
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(key).toString('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const claims = (o: Record<string, unknown> = {}) => ({
  iss: `${authority}/${TENANT}/v2.0`,
  aud: APP_ID,
  tid: TENANT,
  serviceurl: SERVICE_URL,
  nbf: now() - 60,
  exp: now() + 3600,
  ...o,
});
const activity = (o: Record<string, unknown> = {}) => ({
  // The app was removed from a chat: the bot forgets it, with no outbound call (which would need a
  // real app token from Entra). No serviceUrl and replies expected in the answer, so the SDK builds no
  // connector client either.
  type: 'installationUpdate',
  deliveryMode: 'expectReplies',
  action: 'remove',
  id: `jwt-${Math.random().toString(36).slice(2)}`,
  channelId: 'msteams',
  from: { id: '29:alice', aadObjectId: 'aad-alice' },
  recipient: { id: `28:${APP_ID}`, name: 'BDP' },
  conversation: { id: 'a:chat', conversationType: 'personal', tenantId: TENANT },
  ...o,
});

beforeAll(async () => {
  jwks = createServer((req, res) => {
    if (req.url === `/${TENANT}/discovery/v2.0/keys`) {
      const jwk = good.publicKey.export({ format: 'jwk' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'k1', use: 'sig', alg: 'RS256' }] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', () => r()));
  authority = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
  const config = loadConfig({});
  aws = await createMockAwsProviders({ config });
  const rt = await createRuntime(config, { aws });
  const svc = createBotServices(rt);
  const logger = new Logger({ serviceName: 'bdp-teams-test', logLevel: 'ERROR' });
  const adapter = createTeamsAdapter(
    {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-no-outbound-call',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppType: 'SingleTenant',
    },
    logger,
    { authority },
  );
  const bot = new BdpTeamsBot({
    svc,
    queue: new InProcessJobQueue(async () => {}),
    conversations: createConversationStore(rt.aws.dynamo, rt.now),
    logger,
  });
  handle = (headers, body = activity()) =>
    processActivity(adapter, { method: 'POST', headers, body }, async (ctx) => {
      ran.push(String(ctx.activity.id));
      await bot.run(ctx);
    });
});
afterAll(async () => {
  await new Promise<void>((r) => jwks.close(() => r()));
  await aws.close();
});

describe('Bot Framework JWT validation is on when an app id is configured', () => {
  test('a token signed by the tenant key set, for this app, is accepted and the bot runs', async () => {
    const a = activity();
    const r = await handle({ authorization: `Bearer ${sign(claims())}` }, a);
    expect(r.status).toBe(200);
    expect(ran).toContain(a.id);
  });

  test.each([
    ['no token', () => ({})],
    [
      'a token signed by another key',
      () => ({ authorization: `Bearer ${sign(claims(), rogue.privateKey)}` }),
    ],
    ['a token for another app', () => ({ authorization: `Bearer ${sign(claims({ aud: 'another-app' }))}` })],
    [
      'an expired token',
      () => ({ authorization: `Bearer ${sign(claims({ exp: now() - 3600, nbf: now() - 7200 }))}` }),
    ],
    [
      'a token from another tenant (issuer and tid agree, the issuer is not ours)',
      () => {
        const other = '99999999-2222-4333-8444-555555555555';
        return { authorization: `Bearer ${sign(claims({ iss: `${authority}/${other}/v2.0`, tid: other }))}` };
      },
    ],
    ['a malformed header', () => ({ authorization: 'Basic abc' })],
  ])('%s is refused with 401 and a fixed message, and the bot does not run', async (_name, headers) => {
    const a = activity();
    const r = await handle(headers(), a);
    expect(r.status).toBe(401);
    expect(r.body).toBe(GENERIC_ERRORS.unauthorized);
    expect(ran).not.toContain(a.id);
  });

  test('an activity whose serviceUrl is not the one the token names is refused', async () => {
    const a = activity({ serviceUrl: 'https://evil.example/' });
    const r = await handle({ authorization: `Bearer ${sign(claims())}` }, a);
    expect(r.status).toBe(400);
    expect(ran).not.toContain(a.id);
  });
});
