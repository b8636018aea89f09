import { analyzeIncident } from '../../agent';
import { route } from '../../providers/config';
import { type Analysis, type Incident, IncidentState } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { PIPELINE_METRIC, recordCount } from '../metrics';
import { capAtAnalysis } from '../remediation/route-cap';
import { createWorkflowStore } from '../state/workflow-store';
import { lambdaEntry } from './common';

export type AnalyzeFn = (
  rt: Runtime,
  input: { incident: Incident; failed_attempts: IncidentState['failed_attempts'] },
) => Promise<Analysis>;

/**
 * A state that comes back from Verify unresolved is a replan: its attempt moves into
 * `failed_attempts` (the agent sees it) and the replan count goes up.
 */
export function prepareReplan(state: IncidentState): IncidentState {
  if (!state.verification || state.verification.resolved || !state.analysis) return state;
  return IncidentState.parse({
    incident: state.incident,
    execution_id: state.execution_id,
    failed_attempts: [
      ...state.failed_attempts,
      { plan: state.analysis.remediation_plan, result: state.remediation, verification: state.verification },
    ],
    replan_count: state.replan_count + 1,
  });
}

/** Builds the analyze step around an analysis function (the agent; tests inject exact confidences). */
export function makeAnalyzeHandler(analyzeFn: AnalyzeFn) {
  return async function analyze(rt: Runtime, input: IncidentState): Promise<IncidentState> {
    const state = prepareReplan(IncidentState.parse(input));
    const store = createWorkflowStore(rt);
    await store.saveState(state, { status: 'analyzing' });
    const analysis = await analyzeFn(rt, {
      incident: state.incident,
      failed_attempts: state.failed_attempts,
    });
    // The route follows the computed confidence and the configured thresholds, whatever the agent said,
    // capped by what the policy can check against the target's current state (a ratio against a
    // formula or an unset value needs a person: the state machine's Route reads `route: approval`).
    let routed = route(analysis.confidence_score, rt.config);
    let policy_notes = analysis.policy_notes;
    if (routed === 'auto') {
      const cap = await capAtAnalysis(rt, state.incident, analysis.remediation_plan);
      if (cap.route_cap === 'approval') {
        routed = 'approval';
        policy_notes = [
          ...policy_notes,
          ...cap.cap_reasons.map((r) => `approval required: ${r}`.slice(0, 1000)),
        ];
      }
    }
    const next = IncidentState.parse({ ...state, analysis: { ...analysis, route: routed, policy_notes } });
    await store.saveState(next, { status: 'open' });
    recordCount(rt, PIPELINE_METRIC.incidentsRouted, 1, { route: routed });
    return next;
  };
}

export const analyze = makeAnalyzeHandler((rt, input) => analyzeIncident(rt, input));

export const handler = lambdaEntry('analyze', IncidentState, analyze);
