import type { DecisionOutcome, RollbackOutcome } from '../../pipeline/approval/service';
import { formatTime } from './text';

/**
 * A non-approver's one answer, the same for known and unknown incidents (no existence probe), and
 * without echoing the id they sent.
 */
export const NO_SUCH_APPROVAL =
  'No such approval for you to decide: you are not an approver here. The attempt was recorded.';

/** What the clicking person is told (privately) after a decision or rollback attempt. */
export function decisionMessage(o: DecisionOutcome, mention: (user_id: string) => string): string {
  switch (o.outcome) {
    case 'approved':
      return `You approved \`${o.request.plan.action}\` for \`${o.request.incident_id}\`; the workflow is executing it.`;
    case 'rejected':
      return `You rejected the action for \`${o.request.incident_id}\`; nothing will be executed.`;
    case 'not_approver':
      return NO_SUCH_APPROVAL;
    case 'already_decided': {
      const by = o.decided_by ? ` by ${mention(o.decided_by)}` : '';
      const at = o.decided_at ? ` at ${formatTime(o.decided_at)}` : '';
      return o.status === 'expired' ? 'This approval request has expired.' : `Already ${o.status}${by}${at}.`;
    }
    case 'expired':
      return `This approval request expired at ${formatTime(o.request.expires_at)}; the incident was escalated.`;
    case 'not_found':
      return `There is no approval request for \`${o.incident_id}\` (yet). Try again in a moment if the card was just posted.`;
  }
}

export function rollbackMessage(o: RollbackOutcome): string {
  switch (o.outcome) {
    case 'rolled_back':
      return `Rolled back \`${o.result.action}\` on \`${o.result.resource_id}\`.`;
    case 'not_approver':
      return NO_SUCH_APPROVAL;
    case 'not_found':
      return `Incident \`${o.incident_id}\` was not found.`;
    case 'not_available':
      return `Nothing to roll back for \`${o.incident_id}\`: ${o.reason}.`;
    case 'failed':
      return `Rollback of \`${o.incident_id}\` failed: ${o.error}`;
  }
}

/** Slack (and the local workspace) users are `U…`/`W…` ids; anything else is shown as given. */
export function looksLikeSlackUser(id: string): boolean {
  return /^[UW][A-Z0-9]{2,}$/.test(id);
}
