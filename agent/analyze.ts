import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Analysis, Incident, IncidentState, RemediationPlan } from '../providers/domain';
import type { Runtime } from '../providers/runtime';
import { undeterminedAnalysis } from './build-analysis';
import { buildAnalysisGraph } from './graph/analysis-graph';
import { type KnowledgeBase, knowledgeBaseFor } from './knowledge';
import { ZERO_USAGE } from './llm-call';
import { agentLogger } from './log';
import { type AgentMetrics, defaultMetrics } from './metrics';
import { ANALYSIS_SYSTEM, analysisRequest } from './prompts';
import type { AnalysisStateT } from './state';
import { buildTools, type ToolContext } from './tools';

export interface AnalyzeInput {
  incident: Incident;
  failed_attempts?: IncidentState['failed_attempts'];
}

/** Test and workspace seams; production callers pass nothing. */
export interface AgentDeps {
  knowledge?: KnowledgeBase;
  metrics?: AgentMetrics;
  /** Called with the final graph state (tests inspect reflections and messages). */
  onState?: (state: AnalysisStateT) => void;
}

/**
 * Runs the LangGraph analysis for one incident and returns the domain Analysis. Never throws for
 * LLM or tool trouble: those end as an 'undetermined' analysis with confidence 0 that escalates.
 */
export async function analyzeIncident(
  rt: Runtime,
  input: AnalyzeInput,
  deps: AgentDeps = {},
): Promise<Analysis> {
  const { incident } = input;
  const failedPlans: RemediationPlan[] = (input.failed_attempts ?? []).map((f) => f.plan);
  const metrics = deps.metrics ?? defaultMetrics(rt.config.METRICS_NAMESPACE, rt.llm.provider);
  const log = agentLogger().createChild({
    persistentKeys: { incident_id: incident.incident_id, incident_service: incident.service },
  });
  const started = Date.now();
  let kb: KnowledgeBase;
  try {
    kb = deps.knowledge ?? (await knowledgeBaseFor(rt));
  } catch (e) {
    const reason = `the knowledge base could not be loaded: ${(e as Error).message}`;
    log.error('analysis aborted', { reason });
    return undeterminedAnalysis(rt, incident, reason, { usage: ZERO_USAGE, iterations: 0 });
  }
  const ctx: ToolContext = { rt, incident, kb, failedPlans };
  const graph = buildAnalysisGraph({ ctx, tools: buildTools(ctx), metrics });
  const service = rt.services.find((s) => s.name === incident.service);
  let analysis: Analysis;
  try {
    const state = (await graph.invoke(
      {
        messages: [
          new SystemMessage(ANALYSIS_SYSTEM),
          new HumanMessage(analysisRequest(incident, service, failedPlans)),
        ],
        incident,
        anomaly_data: incident.anomalies,
        max_iterations: rt.config.MAX_ITERATIONS,
      },
      { recursionLimit: 12 * rt.config.MAX_ITERATIONS + 10 },
    )) as AnalysisStateT;
    deps.onState?.(state);
    analysis =
      state.analysis ??
      undeterminedAnalysis(rt, incident, 'the analysis ended without a result', {
        usage: state.usage,
        iterations: state.iteration_count,
      });
  } catch (e) {
    // Graph-level failures (recursion limit, a bug) must not crash the workflow either.
    analysis = undeterminedAnalysis(rt, incident, `the analysis graph failed: ${(e as Error).message}`, {
      usage: ZERO_USAGE,
      iterations: 0,
    });
  } finally {
    metrics.flush();
  }
  log.info('analysis finished', {
    status: analysis.status,
    confidence: analysis.confidence,
    route: analysis.route,
    action: analysis.remediation_plan.action,
    runbook_id: analysis.runbook_id,
    usage: analysis.usage,
    duration_ms: Date.now() - started,
  });
  return analysis;
}
