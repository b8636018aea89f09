import { WebClient } from '@slack/web-api';
import { LocalSlackApi } from '../../../bot/local/slack-api';
import { SlackApproverResolver } from '../../../bot/slack/approvers';
import { loadSlackCredentials } from '../../../bot/slack/credentials';
import { createSlackLambdaHandler } from '../../../bot/slack/lambda';
import { MockSecrets } from '../../../providers/aws/secrets/mock';
import type { AwsProviders } from '../../../providers/aws/types';
import { loadConfig } from '../../../providers/config';
import type { Runtime } from '../../../providers/runtime';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bdp/slack';
const rtWith = (env: Record<string, string>, secrets = new MockSecrets()) =>
  ({ config: loadConfig(env), aws: { secrets } as unknown as AwsProviders }) as Pick<
    Runtime,
    'config' | 'aws'
  >;

describe('Slack credentials', () => {
  test('from Secrets Manager when SLACK_SECRET_ARN is set', async () => {
    const secrets = new MockSecrets({
      [ARN]: JSON.stringify({ signing_secret: 'sig-from-sm', bot_token: 'xoxb-from-sm' }),
    });
    await expect(
      loadSlackCredentials(rtWith({ SLACK_SECRET_ARN: ARN, SLACK_BOT_TOKEN: 'xoxb-env' }, secrets)),
    ).resolves.toEqual({
      signing_secret: 'sig-from-sm',
      bot_token: 'xoxb-from-sm',
    });
  });
  test('a malformed secret names what is missing, never a value', async () => {
    const secrets = new MockSecrets({ [ARN]: JSON.stringify({ signing_secret: 'sig-very-secret' }) });
    const err = await loadSlackCredentials(rtWith({ SLACK_SECRET_ARN: ARN }, secrets)).catch((e: Error) => e);
    expect(String(err)).toContain('the secret lacks bot_token');
    expect(String(err)).not.toContain('sig-very-secret');
    const notJson = new MockSecrets({ [ARN]: 'sig-very-secret' });
    const err2 = await loadSlackCredentials(rtWith({ SLACK_SECRET_ARN: ARN }, notJson)).catch(
      (e: Error) => e,
    );
    expect(String(err2)).toContain('not JSON');
    expect(String(err2)).not.toContain('sig-very-secret');
  });
  test('from the environment locally; a missing one is named', async () => {
    await expect(
      loadSlackCredentials(rtWith({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' })),
    ).resolves.toEqual({
      signing_secret: 's',
      bot_token: 'xoxb-1',
    });
    await expect(loadSlackCredentials(rtWith({ SLACK_BOT_TOKEN: 'xoxb-1' }))).rejects.toThrow(
      'SLACK_SIGNING_SECRET is not set',
    );
  });
});

test('the Lambda entry refuses to start without a worker function to hand work to', async () => {
  const rt = { ...rtWith({}), services: [], policy: {}, now: () => new Date() } as unknown as Runtime;
  await expect(
    createSlackLambdaHandler({ rt, credentials: { signing_secret: 's', bot_token: 'xoxb' } }),
  ).rejects.toThrow('BOT_WORKER_FUNCTION_NAME is not set');
});

describe('approver groups', () => {
  let api: LocalSlackApi;
  let client: WebClient;
  beforeEach(async () => {
    api = new LocalSlackApi({ tokens: ['xoxb-t'], usergroups: { S0OPS: ['U0BOB'] } });
    client = new WebClient('xoxb-t', { slackApiUrl: await api.start(), retryConfig: { retries: 0 } });
  });
  afterEach(() => api.stop());

  test('a member gets the group, cached for a minute', async () => {
    let t = 0;
    const r = new SlackApproverResolver(client, ['U0ALICE', 'S0OPS'], undefined, () => t);
    expect(await r.resolve('U0BOB')).toEqual({ surface: 'slack', user_id: 'U0BOB', groups: ['S0OPS'] });
    expect(await r.resolve('U0CAROL')).toEqual({ surface: 'slack', user_id: 'U0CAROL', groups: [] });
    expect(api.callsTo('usergroups.users.list')).toHaveLength(1);
    t = 61_000;
    await r.resolve('U0BOB');
    expect(api.callsTo('usergroups.users.list')).toHaveLength(2);
  });

  test('a group that cannot be read grants nothing (fail closed) and is reported', async () => {
    const errors: string[] = [];
    api.failNext(1, { status: 500 });
    const r = new SlackApproverResolver(client, ['S0OPS'], (g) => errors.push(g));
    expect((await r.resolve('U0BOB')).groups).toEqual([]);
    expect(errors).toEqual(['S0OPS']);
  });
});
