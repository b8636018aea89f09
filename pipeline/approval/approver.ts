import * as z from 'zod';
import type { Config } from '../../providers/config';

/** Who clicked: the chat surface's user id and the groups the adapter resolved for them. */
export const Approver = z.object({
  surface: z.enum(['slack', 'teams', 'local']),
  user_id: z.string().min(1).max(256),
  display_name: z.string().max(256).optional(),
  groups: z.array(z.string().min(1)).max(500).default([]),
});
export type Approver = z.input<typeof Approver>;

/** The approver list for a surface: Slack's (user ids `U…`, user-group ids `S…`) also governs `local`. */
export function approversFor(
  config: Pick<Config, 'SLACK_APPROVERS' | 'TEAMS_APPROVERS'>,
  surface: Approver['surface'],
): string[] {
  return surface === 'teams' ? config.TEAMS_APPROVERS : config.SLACK_APPROVERS;
}

/** Fail closed: an empty list means nobody may approve. Teams (AAD) ids compare case-insensitively. */
export function isApprover(
  config: Pick<Config, 'SLACK_APPROVERS' | 'TEAMS_APPROVERS'>,
  user: Approver,
): boolean {
  const parsed = Approver.parse(user);
  const norm = (s: string) => (parsed.surface === 'teams' ? s.toLowerCase() : s);
  const allowed = new Set(approversFor(config, parsed.surface).map(norm));
  if (allowed.size === 0) return false;
  return [parsed.user_id, ...parsed.groups].some((id) => allowed.has(norm(id)));
}

/** How a person is named in records and cards. */
export const actorName = (user: Approver) =>
  `${user.surface}:${user.user_id}${user.display_name ? ` (${user.display_name})` : ''}`;
