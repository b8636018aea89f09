import { IncidentState } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { PIPELINE_METRIC, recordAutoRemediation, recordCount, secondsBetween } from '../metrics';
import { publishLifecycle } from '../remediation/events';
import { verifySignal } from '../remediation/verify';
import { createWorkflowStore } from '../state/workflow-store';
import { lambdaEntry } from './common';

/** After the wait: did the anomaly's signal recover? */
export async function verify(rt: Runtime, input: IncidentState): Promise<IncidentState> {
  const state = IncidentState.parse(input);
  const verification = await verifySignal(rt, state.incident);
  const next = IncidentState.parse({ ...state, verification });
  await createWorkflowStore(rt).saveState(next);
  recordAutoRemediation(rt, next, verification.resolved);
  const recovered = verification.resolved ? secondsBetween(state.incident.created_at, rt.now()) : undefined;
  if (recovered !== undefined) recordCount(rt, PIPELINE_METRIC.timeToRecoverySeconds, recovered);
  await publishLifecycle(rt, 'verified', {
    incident_id: state.incident.incident_id,
    resolved: verification.resolved,
    detail: verification.detail,
    resource_id: state.remediation?.resource_id,
  });
  return next;
}

export const handler = lambdaEntry('verify', IncidentState, verify);
