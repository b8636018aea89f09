import type { Activity } from '@microsoft/agents-activity';
import type { ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import type { Approver } from '../../pipeline/approval/approver';
import type { Config } from '../../providers/config';
import { splitThread } from './conversations';
import { withTimeout } from './timeout';

const MEMBER_TIMEOUT_MS = 3_000;

/** The only channel whose activities may approve, reject or roll back. */
export const TEAMS_CHANNEL_ID = 'msteams';

/** Who clicked, whether or not they may act: for the refusal record and the log. */
export interface TeamsCaller {
  /** `from.id (name)`, plus the AAD object id when there is one. */
  label: string;
  aad_object_id?: string;
}

export type TeamsIdentity =
  | { ok: true; aad_object_id: string; display_name?: string }
  | { ok: false; reason: string; caller: TeamsCaller };

/** The tenant whose members may decide: TEAMS_TENANT_ID, else the bot's own (MicrosoftAppTenantId). */
export const teamsTenantId = (c: Pick<Config, 'TEAMS_TENANT_ID' | 'MicrosoftAppTenantId'>) =>
  c.TEAMS_TENANT_ID || c.MicrosoftAppTenantId;

const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}…` : s);
const sameTenant = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The tenant ids an activity names: `conversation.tenantId` and `channelData.tenant.id`. */
function tenantsOf(a: Pick<Activity, 'conversation' | 'channelData'>): string[] {
  const out: string[] = [];
  if (typeof a.conversation?.tenantId === 'string' && a.conversation.tenantId)
    out.push(a.conversation.tenantId);
  const cd = a.channelData as { tenant?: { id?: unknown } } | undefined;
  if (typeof cd?.tenant?.id === 'string' && cd.tenant.id) out.push(cd.tenant.id);
  return out;
}

/**
 * Whether an activity may carry a decision, and whose: only Microsoft Teams activities (`channelId`
 * `msteams`) of the configured tenant (every tenant id the activity names equals it, and it names at
 * least one), identified by `from.aadObjectId` — never `from.id`, which channels other than Teams let
 * the client choose. Everything else is refused with the reason. The activity itself was
 * authenticated by the adapter (Bot Framework JWT) whenever an app id is configured.
 */
export function checkTeamsIdentity(
  a: Pick<Activity, 'channelId' | 'conversation' | 'channelData' | 'from'>,
  tenantId: string,
): TeamsIdentity {
  const from = a.from;
  const aad = from?.aadObjectId?.trim() || undefined;
  const caller: TeamsCaller = {
    label: clip(`${from?.id || 'unknown'}${from?.name ? ` (${from.name})` : ''}${aad ? ` aad=${aad}` : ''}`),
    ...(aad ? { aad_object_id: aad } : {}),
  };
  const refuse = (reason: string): TeamsIdentity => ({ ok: false, reason, caller });
  if (a.channelId !== TEAMS_CHANNEL_ID)
    return refuse(`not a Microsoft Teams activity (channel ${clip(String(a.channelId ?? 'none'), 40)})`);
  if (!tenantId.trim())
    return refuse('no Teams tenant is configured (TEAMS_TENANT_ID), so nobody may decide');
  const tenants = tenantsOf(a);
  if (tenants.length === 0) return refuse('the activity names no tenant');
  const other = tenants.find((t) => !sameTenant(t, tenantId));
  if (other) return refuse(`the activity is from another tenant (${clip(other, 60)})`);
  if (!aad) return refuse('the activity carries no AAD object id for the user');
  return { ok: true, aad_object_id: aad, ...(from?.name ? { display_name: from.name } : {}) };
}

/**
 * Who clicked, as the approval service sees it: the AAD object id as `user_id`, and the UPN in
 * `groups` so TEAMS_APPROVERS may list either. The UPN is read from the Bot Connector's member
 * look-up only when the approver list holds a UPN; a failure or a slow answer leaves it out (fail
 * closed). Call only with an identity `checkTeamsIdentity` accepted.
 */
export async function resolveTeamsApprover(
  context: TurnContext,
  identity: Extract<TeamsIdentity, { ok: true }>,
  approvers: readonly string[],
  onError: (error: string) => void = () => {},
): Promise<Approver> {
  const groups: string[] = [];
  const wantsUpn = approvers.some((a) => a.includes('@'));
  const from = context.activity.from;
  const conversation = context.activity.conversation?.id;
  if (wantsUpn && from?.id && conversation) {
    try {
      const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      if (!client) throw new Error('no connector client on this turn');
      const member = (await withTimeout(
        client.getConversationMember(
          encodeURIComponent(from.id),
          encodeURIComponent(splitThread(conversation).base),
        ),
        MEMBER_TIMEOUT_MS,
        'the member look-up',
      )) as { userPrincipalName?: unknown; aadObjectId?: unknown; objectId?: unknown };
      // The member must be the same person the activity names.
      const memberAad = member.aadObjectId ?? member.objectId;
      if (typeof memberAad === 'string' && !sameTenant(memberAad, identity.aad_object_id))
        throw new Error('the member look-up returned another user');
      if (typeof member.userPrincipalName === 'string' && member.userPrincipalName)
        groups.push(member.userPrincipalName);
    } catch (e) {
      onError(`member look-up failed: ${(e as Error).message}`);
    }
  }
  return {
    surface: 'teams',
    user_id: identity.aad_object_id.slice(0, 256),
    ...(identity.display_name ? { display_name: identity.display_name.slice(0, 256) } : {}),
    groups,
  };
}
