import type { WebClient } from '@slack/web-api';
import type { Approver } from '../../pipeline/approval/approver';

const GROUP_TTL_MS = 60_000;

/**
 * Resolves which of the configured approver user-groups (`S…` ids in SLACK_APPROVERS) a user is in,
 * via `usergroups.users.list`, cached for a minute. A group that cannot be read counts as "not a
 * member" (fail closed), so a Slack outage never grants approval rights.
 */
export class SlackApproverResolver {
  private readonly cache = new Map<string, { users: Set<string>; until: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly approverIds: readonly string[],
    private readonly onError: (group: string, error: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  private get groupIds(): string[] {
    return this.approverIds.filter((id) => /^S[A-Z0-9]+$/.test(id));
  }

  private async members(group: string): Promise<Set<string>> {
    const hit = this.cache.get(group);
    if (hit && hit.until > this.now()) return hit.users;
    try {
      const r = await this.client.usergroups.users.list({ usergroup: group });
      const users = new Set(r.users ?? []);
      this.cache.set(group, { users, until: this.now() + GROUP_TTL_MS });
      return users;
    } catch (e) {
      this.onError(group, e instanceof Error ? e.message : String(e));
      return new Set();
    }
  }

  async resolve(user_id: string, display_name?: string): Promise<Approver> {
    const groups: string[] = [];
    for (const g of this.groupIds) if ((await this.members(g)).has(user_id)) groups.push(g);
    return { surface: 'slack', user_id, ...(display_name ? { display_name } : {}), groups };
  }
}
