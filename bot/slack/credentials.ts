import * as z from 'zod';
import type { Runtime } from '../../providers/runtime';
import '../../providers/aws/clients/secrets';

export interface SlackCredentials {
  signing_secret: string;
  bot_token: string;
}

const SecretShape = z.object({ signing_secret: z.string().min(1), bot_token: z.string().min(1) });

/**
 * The signing secret and bot token: from Secrets Manager (SLACK_SECRET_ARN, JSON
 * `{signing_secret, bot_token}`) in AWS, from the environment locally. Errors name what is missing,
 * never a value.
 */
export async function loadSlackCredentials(rt: Pick<Runtime, 'config' | 'aws'>): Promise<SlackCredentials> {
  const c = rt.config;
  if (c.SLACK_SECRET_ARN) {
    const raw = await rt.aws.secrets.getSecret(c.SLACK_SECRET_ARN);
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      throw new Error(
        'SLACK_SECRET_ARN: the secret is not JSON (expected {"signing_secret": …, "bot_token": …})',
      );
    }
    const r = SecretShape.safeParse(doc);
    if (!r.success) {
      const missing = r.error.issues.map((i) => i.path.join('.')).join(', ');
      throw new Error(
        `SLACK_SECRET_ARN: the secret lacks ${missing} (expected {"signing_secret": …, "bot_token": …})`,
      );
    }
    return r.data;
  }
  if (!c.SLACK_SIGNING_SECRET)
    throw new Error('SLACK_SIGNING_SECRET is not set (set it, or SLACK_SECRET_ARN in AWS)');
  if (!c.SLACK_BOT_TOKEN) throw new Error('SLACK_BOT_TOKEN is not set (set it, or SLACK_SECRET_ARN in AWS)');
  return { signing_secret: c.SLACK_SIGNING_SECRET, bot_token: c.SLACK_BOT_TOKEN };
}

/** The worker only posts: it needs the bot token, not the signing secret. */
export async function loadSlackBotToken(rt: Pick<Runtime, 'config' | 'aws'>): Promise<string> {
  if (rt.config.SLACK_SECRET_ARN) return (await loadSlackCredentials(rt)).bot_token;
  if (!rt.config.SLACK_BOT_TOKEN)
    throw new Error('SLACK_BOT_TOKEN is not set (set it, or SLACK_SECRET_ARN in AWS)');
  return rt.config.SLACK_BOT_TOKEN;
}
