import { IncidentState } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { recordAutoRemediation } from '../metrics';
import { executePlan } from '../remediation/execute';
import { createWorkflowStore } from '../state/workflow-store';
import { lambdaEntry } from './common';

/** The idempotency key of one attempt: the execution, the incident, and which replan. */
export const executionKey = (s: IncidentState) =>
  `${s.execution_id ?? 'no-execution'}#${s.incident.incident_id}#${s.replan_count}`;

/** Executes the analysis' plan under the policy (see remediation/execute). */
export async function remediate(rt: Runtime, input: IncidentState): Promise<IncidentState> {
  const state = IncidentState.parse(input);
  const result = await executePlan(rt, {
    state,
    execution_key: executionKey(state),
    dry_run: rt.config.REMEDIATION_DRY_RUN,
    executed_by: state.approval?.status === 'approved' ? state.approval.decided_by : undefined,
  });
  const next = IncidentState.parse({ ...state, remediation: result });
  await createWorkflowStore(rt).saveState(next);
  // A run that failed (or was rolled back) never reaches Verify: it is an auto failure here.
  if (result.status === 'failed' || result.status === 'rolled_back') recordAutoRemediation(rt, next, false);
  return next;
}

export const handler = lambdaEntry('remediate', IncidentState, remediate);
