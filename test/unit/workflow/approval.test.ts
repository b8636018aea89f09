import { createApprovalService } from '../../../pipeline/approval';
import { createWorkflowStore } from '../../../pipeline/state';
import { makeIncident, makeRuntime, recordNotices, stateWith, type TestRuntime } from './support';

let rt: TestRuntime & { advance(ms: number): void };
beforeAll(async () => {
  rt = await makeRuntime();
  recordNotices();
});
afterAll(async () => {
  await rt.aws.close();
});
afterEach(() => jest.restoreAllMocks());

const approver = { surface: 'slack' as const, user_id: 'U0APPROVER', display_name: 'Ana' };

/** A pending request for a fresh incident, as the RequestApproval task leaves it. */
async function pending() {
  const state = stateWith(makeIncident(), 0.7);
  await createWorkflowStore(rt).saveState(state);
  const token = rt.aws.sfn.createTaskToken();
  const svc = createApprovalService(rt);
  const req = await svc.request({ state, task_token: token });
  return { svc, state, token, req, id: state.incident.incident_id };
}

describe('approval service', () => {
  it('stores a pending request that expires after APPROVAL_TIMEOUT_SECONDS and posts the approval card', async () => {
    const rec = recordNotices();
    const { req, id } = await pending();
    expect(req.status).toBe('pending');
    expect(Date.parse(req.expires_at) - Date.parse(req.requested_at)).toBe(
      rt.config.APPROVAL_TIMEOUT_SECONDS * 1000,
    );
    expect(rec.kinds()).toEqual(['approval_requested']);
    expect((await createWorkflowStore(rt).getRecord(id))?.status).toBe('awaiting_approval');
    expect(
      rt.aws.events.published.some(
        (e) => e.detail_type === 'Remediation Requested' && e.detail.incident_id === id,
      ),
    ).toBe(true);
    rec.reset();
  });

  it('a retried request with the same token does not reset a decided request', async () => {
    const { svc, state, token, id } = await pending();
    await svc.decide({ incident_id: id, decision: 'approve', user: approver });
    const again = await svc.request({ state, task_token: token });
    expect(again.status).toBe('approved');
  });

  it('100 concurrent approvals send exactly one SendTaskSuccess', async () => {
    const { svc, id, token } = await pending();
    const success = jest.spyOn(rt.aws.sfn, 'sendTaskSuccess');
    const outcome = rt.aws.sfn.waitForToken(token);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => svc.decide({ incident_id: id, decision: 'approve', user: approver })),
    );
    expect(success).toHaveBeenCalledTimes(1);
    expect(results.filter((r) => r.outcome === 'approved')).toHaveLength(1);
    const others = results.filter((r) => r.outcome !== 'approved');
    expect(others).toHaveLength(99);
    for (const o of others) {
      expect(o).toMatchObject({ outcome: 'already_decided', status: 'approved', decided_by: 'U0APPROVER' });
    }
    await expect(outcome).resolves.toMatchObject({
      status: 'success',
      output: { status: 'approved', decided_by: 'U0APPROVER' },
    });
  });

  it('a second click says who decided and when', async () => {
    const { svc, id } = await pending();
    await svc.decide({ incident_id: id, decision: 'approve', user: approver });
    const second = await svc.decide({
      incident_id: id,
      decision: 'reject',
      user: { ...approver, user_id: 'U0OTHER', groups: ['S0ONCALL'] },
    });
    expect(second.outcome).toBe('already_decided');
    if (second.outcome !== 'already_decided') return;
    expect(second.status).toBe('approved');
    expect(second.decided_by).toBe('U0APPROVER');
    expect(second.decided_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('a rejection resumes the workflow with SendTaskFailure(ApprovalRejected) carrying who and why', async () => {
    const rec = recordNotices();
    const { svc, id, token } = await pending();
    const outcome = rt.aws.sfn.waitForToken(token);
    const r = await svc.decide({
      incident_id: id,
      decision: 'reject',
      user: approver,
      reason: 'not during peak',
    });
    expect(r.outcome).toBe('rejected');
    const o = await outcome;
    expect(o).toMatchObject({ status: 'failure', error: 'ApprovalRejected' });
    if (o.status === 'failure')
      expect(JSON.parse(o.cause)).toEqual({ decided_by: 'U0APPROVER', reason: 'not during peak' });
    const last = rec.notices.at(-1);
    expect(last?.kind).toBe('rejected');
    expect(last?.actor).toBe('Ana');
    expect(last?.detail).toBe('not during peak');
    rec.reset();
  });

  it('fails closed: a non-approver is refused and recorded; members of an approver group may decide', async () => {
    const { svc, id } = await pending();
    const success = jest.spyOn(rt.aws.sfn, 'sendTaskSuccess');
    const r = await svc.decide({
      incident_id: id,
      decision: 'approve',
      user: { surface: 'slack', user_id: 'U0INTRUDER' },
    });
    expect(r.outcome).toBe('not_approver');
    expect(success).not.toHaveBeenCalled();
    const history = await createWorkflowStore(rt).getHistory(id);
    expect(history.some((h) => h.event === 'unauthorized_decision' && h.actor?.includes('U0INTRUDER'))).toBe(
      true,
    );
    // Teams has its own list: a Slack approver id means nothing there.
    const t = await svc.decide({
      incident_id: id,
      decision: 'approve',
      user: { surface: 'teams', user_id: 'U0APPROVER' },
    });
    expect(t.outcome).toBe('not_approver');
    const g = await svc.decide({
      incident_id: id,
      decision: 'approve',
      user: { surface: 'slack', user_id: 'U0MEMBER', groups: ['S0ONCALL'] },
    });
    expect(g.outcome).toBe('approved');
  });

  it('with no approvers configured nobody may approve', async () => {
    const closed = await makeRuntime({ SLACK_APPROVERS: '' });
    try {
      const state = stateWith(makeIncident(), 0.7);
      const svc = createApprovalService(closed);
      await svc.request({ state, task_token: closed.aws.sfn.createTaskToken() });
      const r = await svc.decide({
        incident_id: state.incident.incident_id,
        decision: 'approve',
        user: approver,
      });
      expect(r.outcome).toBe('not_approver');
    } finally {
      await closed.aws.close();
    }
  });

  it('a decision after expiry gets "expired" and never resumes the workflow', async () => {
    const { svc, id } = await pending();
    const success = jest.spyOn(rt.aws.sfn, 'sendTaskSuccess');
    rt.advance((rt.config.APPROVAL_TIMEOUT_SECONDS + 1) * 1000);
    const r = await svc.decide({ incident_id: id, decision: 'approve', user: approver });
    expect(r.outcome).toBe('expired');
    expect(success).not.toHaveBeenCalled();
    expect((await createWorkflowStore(rt).getApproval(id))?.status).toBe('expired');
  });

  it('when the workflow already stopped waiting, the click is answered "expired"', async () => {
    const { svc, id, token } = await pending();
    // The task timed out in Step Functions: its token is settled.
    await rt.aws.sfn.sendTaskFailure(token, 'States.Timeout', 'timed out');
    const r = await svc.decide({ incident_id: id, decision: 'approve', user: approver });
    expect(r.outcome).toBe('expired');
    expect((await createWorkflowStore(rt).getApproval(id))?.status).toBe('expired');
  });

  it('a transient Step Functions failure leaves the request pending so the click can be retried', async () => {
    const { svc, id, token } = await pending();
    rt.aws.sfn.failNext('SendTaskSuccess', 'unavailable', 3);
    await expect(svc.decide({ incident_id: id, decision: 'approve', user: approver })).rejects.toThrow(
      /SendTaskSuccess/,
    );
    expect((await createWorkflowStore(rt).getApproval(id))?.status).toBe('pending');
    const outcome = rt.aws.sfn.waitForToken(token);
    expect((await svc.decide({ incident_id: id, decision: 'approve', user: approver })).outcome).toBe(
      'approved',
    );
    await expect(outcome).resolves.toMatchObject({ status: 'success' });
  });

  it('unknown incidents are not_found; bad input names the field', async () => {
    const svc = createApprovalService(rt);
    expect(await svc.decide({ incident_id: 'inc-nope-000000', decision: 'approve', user: approver })).toEqual(
      {
        outcome: 'not_found',
        incident_id: 'inc-nope-000000',
      },
    );
    await expect(
      svc.decide({ incident_id: 'x', decision: 'maybe' as 'approve', user: approver }),
    ).rejects.toThrow(/decision/);
  });

  it('expire() is exactly once and loses to a decision that came first', async () => {
    const a = await pending();
    expect((await a.svc.expire(a.id)).outcome).toBe('expired');
    expect((await a.svc.expire(a.id)).outcome).toBe('already_decided');
    const b = await pending();
    await b.svc.decide({ incident_id: b.id, decision: 'approve', user: approver });
    expect(await b.svc.expire(b.id)).toMatchObject({ outcome: 'already_decided', status: 'approved' });
  });
});
