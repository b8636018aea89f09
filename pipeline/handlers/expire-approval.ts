import { IncidentState } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { createApprovalService } from '../approval/service';
import { publishNotice } from '../notify/publish';
import { createWorkflowStore } from '../state/workflow-store';
import { lambdaEntry } from './common';

/**
 * The approval timed out: mark the request expired (a late click then gets "expired") and update the
 * card. The workflow escalates next.
 */
export async function expireApproval(rt: Runtime, input: IncidentState): Promise<IncidentState> {
  const state = IncidentState.parse(input);
  const id = state.incident.incident_id;
  const out = await createApprovalService(rt).expire(id);
  const status = out.outcome === 'already_decided' ? out.status : 'expired';
  const next = IncidentState.parse({
    ...state,
    approval: {
      status: 'expired',
      ...(out.outcome === 'already_decided' && out.request.decided_by
        ? {
            decided_by: out.request.decided_by,
            reason: `decided (${status}) after the workflow stopped waiting`,
          }
        : {}),
    },
  });
  await createWorkflowStore(rt).saveState(next, { status: 'expired' });
  await publishNotice(rt, {
    kind: 'expired',
    state: next,
    detail: `No decision within ${Math.round(rt.config.APPROVAL_TIMEOUT_SECONDS / 60)} min; escalating to a person.`,
  });
  return next;
}

export const handler = lambdaEntry('expire-approval', IncidentState, expireApproval);
