import type { Logger } from '@aws-lambda-powertools/logger';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import * as z from 'zod';
import type { Config } from '../../providers/config';
import type { Runtime } from '../../providers/runtime';

/** botbuilder's own setting names; empty app id and password mean local, unauthenticated use only. */
export interface TeamsCredentials {
  MicrosoftAppId: string;
  MicrosoftAppPassword: string;
  MicrosoftAppTenantId: string;
  MicrosoftAppType: Config['MicrosoftAppType'];
}

export const isLocalOnly = (c: Pick<TeamsCredentials, 'MicrosoftAppId'>) => c.MicrosoftAppId === '';

const SecretShape = z.union([
  z.object({ MicrosoftAppPassword: z.string().min(1) }),
  z.object({ app_password: z.string().min(1) }),
]);

/**
 * The app credentials: the password from Secrets Manager (TEAMS_SECRET_ARN, JSON
 * `{"MicrosoftAppPassword": …}` or `{"app_password": …}`) in AWS, from the environment locally.
 * Errors name what is missing, never a value.
 */
export async function loadTeamsCredentials(rt: Pick<Runtime, 'config' | 'aws'>): Promise<TeamsCredentials> {
  const c = rt.config;
  let password = c.MicrosoftAppPassword;
  if (c.TEAMS_SECRET_ARN) {
    const raw = await rt.aws.secrets.getSecret(c.TEAMS_SECRET_ARN);
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      throw new Error('TEAMS_SECRET_ARN: the secret is not JSON (expected {"MicrosoftAppPassword": …})');
    }
    const r = SecretShape.safeParse(doc);
    if (!r.success)
      throw new Error(
        'TEAMS_SECRET_ARN: the secret lacks MicrosoftAppPassword (expected {"MicrosoftAppPassword": …})',
      );
    password = 'MicrosoftAppPassword' in r.data ? r.data.MicrosoftAppPassword : r.data.app_password;
  }
  if (c.MicrosoftAppId && !password && c.MicrosoftAppType !== 'UserAssignedMSI')
    throw new Error(
      'MicrosoftAppPassword is not set (set it, or TEAMS_SECRET_ARN in AWS) while MicrosoftAppId is',
    );
  if (c.MicrosoftAppType === 'SingleTenant' && !c.MicrosoftAppTenantId)
    throw new Error('MicrosoftAppTenantId is not set: a SingleTenant bot needs its tenant id');
  return {
    MicrosoftAppId: c.MicrosoftAppId,
    MicrosoftAppPassword: password,
    MicrosoftAppTenantId: c.MicrosoftAppTenantId,
    MicrosoftAppType: c.MicrosoftAppType,
  };
}

/**
 * The CloudAdapter: with credentials it verifies the Bot Framework token on every request and signs
 * replies; without, it accepts unauthenticated activities (local only: the servers bind 127.0.0.1).
 */
export function createTeamsAdapter(creds: TeamsCredentials, logger?: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: creds.MicrosoftAppId,
    MicrosoftAppPassword: creds.MicrosoftAppPassword,
    MicrosoftAppTenantId: creds.MicrosoftAppTenantId,
    MicrosoftAppType: creds.MicrosoftAppType || (creds.MicrosoftAppId ? 'MultiTenant' : ''),
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger?.error('teams turn failed', {
      activity_type: context.activity.type,
      conversation: context.activity.conversation?.id,
      error: error.message,
    });
    // Invokes get their error through the invoke response; a message gets a short apology.
    if (context.activity.type === 'message')
      await context
        .sendActivity('Sorry, something went wrong handling that. It was logged.')
        .catch(() => undefined);
  };
  return adapter;
}
