import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Approver } from '../../pipeline/approval/approver';
import { withTimeout } from './timeout';

const MEMBER_TIMEOUT_MS = 3_000;

/**
 * Who clicked, as the approval service sees it: the AAD object id (from the activity Teams signed) as
 * `user_id`, and the UPN in `groups` so TEAMS_APPROVERS may list either. The UPN is read with
 * `TeamsInfo.getMember` only when the approver list holds a UPN; a failure or a slow answer leaves it
 * out (fail closed). Without an AAD object id the channel user id is used, which no AAD entry matches.
 */
export async function resolveTeamsApprover(
  context: TurnContext,
  approvers: readonly string[],
  onError: (error: string) => void = () => {},
): Promise<Approver> {
  const from = context.activity.from;
  const user_id = from?.aadObjectId || from?.id || 'unknown';
  const groups: string[] = [];
  const wantsUpn = approvers.some((a) => a.includes('@'));
  if (wantsUpn && from?.id) {
    try {
      const member = await withTimeout(
        TeamsInfo.getMember(context, from.id),
        MEMBER_TIMEOUT_MS,
        'TeamsInfo.getMember',
      );
      if (member.userPrincipalName) groups.push(member.userPrincipalName);
    } catch (e) {
      onError(`TeamsInfo.getMember failed: ${(e as Error).message}`);
    }
  }
  return {
    surface: 'teams',
    user_id: user_id.slice(0, 256),
    ...(from?.name ? { display_name: from.name.slice(0, 256) } : {}),
    groups,
  };
}
