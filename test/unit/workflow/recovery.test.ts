import { buildIncidentView } from '../../../bot/core/view-model';
import { createApprovalService } from '../../../pipeline/approval';
import { checkPendingRecoveries, RECOVERED_EVENT } from '../../../pipeline/approval/recovery';
import { createWorkflowStore } from '../../../pipeline/state';
import type { IncidentNotice } from '../../../providers/domain';
import {
  makeIncident,
  makeRuntime,
  recordNotices,
  seedConnections,
  stateWith,
  type TestRuntime,
} from './support';

type Rt = TestRuntime & { advance(ms: number): void };

/** A pending approval as the RequestApproval task leaves it (its card already posted). */
async function pendingApproval(rt: Rt) {
  const state = stateWith(makeIncident(), 0.7);
  await createWorkflowStore(rt).saveState(state);
  await createApprovalService(rt).request({ state, task_token: rt.aws.sfn.createTaskToken() });
  return state.incident.incident_id;
}

const card = (rt: Rt, n: IncidentNotice) => buildIncidentView(n, rt.config);

describe('pending approvals whose signal recovered on its own', () => {
  let rt: Rt;
  let rec: ReturnType<typeof recordNotices>;
  beforeEach(async () => {
    rt = await makeRuntime();
    rec = recordNotices();
  });
  afterEach(async () => {
    rec.reset();
    await rt.aws.close();
  });

  /** The notices about `id` published after the card was first posted. */
  const since = (id: string) =>
    rec.notices.filter((n) => n.state.incident.incident_id === id && n.detail !== undefined);

  it('updates the card to "recovered on its own" once, keeping Approve/Reject and the request pending', async () => {
    const id = await pendingApproval(rt);
    seedConnections(rt, 100); // back inside the 80–120 band
    const r = await checkPendingRecoveries(rt);
    expect(r.recovered).toEqual([id]);
    const mine = since(id);
    expect(mine).toHaveLength(1);
    const view = card(rt, mine[0]!);
    expect(view.status).toMatch(/recovered on its own/i);
    expect(view.tone).toBe('good');
    expect(view.buttons).toEqual(['approve', 'reject']);
    expect(view.detail).toMatch(/back in band/);
    // Still a person's decision: nothing was decided or stored as resolved.
    expect((await createWorkflowStore(rt).getApproval(id))?.status).toBe('pending');
    expect((await createWorkflowStore(rt).getRecord(id))?.status).toBe('awaiting_approval');
    const history = await createWorkflowStore(rt).getHistory(id);
    expect(history.some((h) => h.event === RECOVERED_EVENT)).toBe(true);

    // The next scheduled run sees nothing new: the card is not updated again.
    const again = await checkPendingRecoveries(rt);
    expect(again.recovered).toEqual([]);
    expect(since(id)).toHaveLength(1);
  });

  it('leaves the card alone while the signal is still out of its band', async () => {
    const id = await pendingApproval(rt);
    seedConnections(rt, 1000);
    const r = await checkPendingRecoveries(rt);
    expect(r.checked).toBeGreaterThanOrEqual(1);
    expect(r.recovered).toEqual([]);
    expect(since(id)).toEqual([]);
  });

  it('puts the card back to waiting when the signal leaves its band again', async () => {
    const id = await pendingApproval(rt);
    seedConnections(rt, 100);
    await checkPendingRecoveries(rt);
    rt.advance(3 * 60_000);
    seedConnections(rt, 1000);
    const r = await checkPendingRecoveries(rt);
    expect(r.relapsed).toEqual([id]);
    const last = since(id).at(-1)!;
    const view = card(rt, last);
    expect(view.status).toBe('Waiting for approval');
    expect(view.buttons).toEqual(['approve', 'reject']);
  });

  it('does not touch an approval that was already decided', async () => {
    const id = await pendingApproval(rt);
    await createApprovalService(rt).decide({
      incident_id: id,
      decision: 'reject',
      user: { surface: 'slack', user_id: 'U0APPROVER' },
    });
    seedConnections(rt, 100);
    const r = await checkPendingRecoveries(rt);
    expect(r.recovered).toEqual([]);
    expect(rec.notices.map((n) => n.kind)).toEqual(['approval_requested', 'rejected']);
  });
});
