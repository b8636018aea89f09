import { IncidentState } from '../../providers/domain';
import { createLogger } from '../../providers/redact';
import type { Runtime } from '../../providers/runtime';
import { publishNotice } from '../notify/publish';
import { verifySignal } from '../remediation/verify';
import { createWorkflowStore } from '../state/workflow-store';

const logger = createLogger('bdp-approval');

/** History events that mark what the pending card last said about the signal. */
export const RECOVERED_EVENT = 'signal_recovered_while_pending';
export const RELAPSED_EVENT = 'signal_out_again_while_pending';

export interface RecoveryCheck {
  /** Pending approvals whose signal was re-checked. */
  checked: number;
  /** Cards updated to "recovered on its own". */
  recovered: string[];
  /** Cards put back to "waiting for approval" (the signal left its band again). */
  relapsed: string[];
}

/**
 * On the detection schedule: re-checks the signal of every pending approval with the same code
 * Verify uses, and when it came back on its own, updates the card to say so.
 *
 * The card keeps Approve/Reject (the view-model says "approving is probably not needed"): a signal
 * back in band for one datapoint can relapse, the proposed action may still be wanted (e.g. a
 * capacity fix before the next peak), and the decision stays with a person, so the on-call gets the
 * facts, not a closed door. Rejecting is then the one-click way to close it; expiry escalates as before.
 *
 * Only changes reach the card (recorded in the incident's history), so a calm signal does not
 * update it on every run. A signal that leaves its band again puts the card back to waiting.
 */
export async function checkPendingRecoveries(rt: Runtime, limit = 50): Promise<RecoveryCheck> {
  const store = createWorkflowStore(rt);
  const out: RecoveryCheck = { checked: 0, recovered: [], relapsed: [] };
  const open = await store.listOpen(limit);
  for (const r of open) {
    if (r.status !== 'awaiting_approval' || r.approval?.status !== 'pending') continue;
    if (Date.parse(r.approval.expires_at) <= rt.now().getTime()) continue; // expiry's to handle
    const id = r.incident_id;
    try {
      out.checked++;
      const history = await store.getHistory(id);
      const last = history.filter((h) => h.event === RECOVERED_EVENT || h.event === RELAPSED_EVENT).at(-1);
      const shownRecovered = last?.event === RECOVERED_EVENT;
      const v = await verifySignal(rt, r.state.incident);
      if (v.resolved === shownRecovered) continue;
      // Checking the signal takes a while: a decision made meanwhile stands, and its card must not be
      // rolled back to a pending one.
      if ((await store.getApproval(id))?.status !== 'pending') continue;
      const { verification: _old, ...rest } = r.state;
      const state = IncidentState.parse(v.resolved ? { ...rest, verification: v } : rest);
      await store.addHistory(id, {
        at: v.checked_at,
        event: v.resolved ? RECOVERED_EVENT : RELAPSED_EVENT,
        actor: 'bdp-agent',
        detail: v.detail,
      });
      // The state is not saved: the notice alone carries the check, so the stored status and the
      // workflow's own state stay as the workflow wrote them.
      await publishNotice(rt, {
        kind: 'approval_requested',
        state,
        detail: v.resolved
          ? `The signal recovered before anyone decided: ${v.detail}`
          : `The signal is out of its band again: ${v.detail}`,
      });
      (v.resolved ? out.recovered : out.relapsed).push(id);
    } catch (e) {
      logger.warn('pending approval not re-checked', { incident_id: id, error: (e as Error).message });
    }
  }
  return out;
}
