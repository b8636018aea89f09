import type { Logger } from '@aws-lambda-powertools/logger';
import { type AuthConfiguration, AuthType, CloudAdapter } from '@microsoft/agents-hosting';
import { z } from 'zod';
import type { Config } from '../../providers/config';
import type { Runtime } from '../../providers/runtime';

/**
 * The Bot Framework setting names (kept from botbuilder so deployments need no change); an empty app id
 * means local, unauthenticated use only.
 */
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

/** The Agents SDK's connection settings for our credentials. */
export function authConfiguration(
  creds: TeamsCredentials,
  opts: { authority?: string } = {},
): AuthConfiguration {
  if (isLocalOnly(creds)) return { clientId: '' };
  const msi = creds.MicrosoftAppType === 'UserAssignedMSI';
  const single = creds.MicrosoftAppType === 'SingleTenant';
  return {
    clientId: creds.MicrosoftAppId,
    ...(msi ? { authType: AuthType.UserManagedIdentity } : { clientSecret: creds.MicrosoftAppPassword }),
    // A multi-tenant bot gets its tokens from the botframework.com tenant (the SDK's default).
    ...(single || (msi && creds.MicrosoftAppTenantId) ? { tenantId: creds.MicrosoftAppTenantId } : {}),
    // Tokens from issuers other than the Bot Framework and this tenant are refused.
    validateIssuer: true,
    // The Entra endpoint (national clouds; tests point it at a local key set). Default: public cloud.
    ...(opts.authority ? { authorityEndpoint: opts.authority } : {}),
  };
}

/**
 * The Agents SDK CloudAdapter. With an app id every request must carry a Bot Framework token that
 * `authorizeRequest` verifies (signature, audience = our app id, issuer, expiry) and the activity's
 * serviceUrl must match the token's claim; replies are signed with the app's credentials. Without an
 * app id the SDK accepts anonymous requests: local only (the servers bind 127.0.0.1, the Lambda
 * refuses to start).
 */
export function createTeamsAdapter(
  creds: TeamsCredentials,
  logger?: Logger,
  opts: { authority?: string } = {},
): CloudAdapter {
  const adapter = new CloudAdapter(
    authConfiguration(creds, opts),
    undefined,
    undefined,
    isLocalOnly(creds) ? {} : { validateServiceUrl: true },
  );
  adapter.onTurnError = async (context, error) => {
    logger?.error('teams turn failed', {
      activity_type: context.activity.type,
      conversation: context.activity.conversation?.id,
      error: error.message,
    });
    // Invokes get their error through the invoke response; a message gets a short apology (no detail).
    if (context.activity.type === 'message')
      await context
        .sendActivity('Sorry, something went wrong handling that. It was logged.')
        .catch(() => undefined);
  };
  return adapter;
}
