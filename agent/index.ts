/**
 * The LangGraph analysis agent.
 * - `analyzeIncident(rt, {incident, failed_attempts})` → domain `Analysis` (never throws for LLM/tool trouble).
 * - `answerFollowUp(rt, {state, thread_id, question, user})` → `{answer, usage}`, with thread memory.
 * - `createCheckpointer(rt)` → the DynamoDB checkpointer (agent_memory table) behind thread memory.
 * - `computeConfidence` (the documented formula), the tools (`buildTools`) and their output contracts.
 * Knowledge-base retrieval lives in ./knowledge.
 */
export { type AgentDeps, type AnalyzeInput, analyzeIncident } from './analyze';
export { FinalAnswer, parseFinalAnswer } from './answer';
export { buildAnalysis, undeterminedAnalysis } from './build-analysis';
export { type ConfidenceInput, type ConfidenceResult, computeConfidence } from './confidence';
export { answerFollowUp, type FollowUpDeps, type FollowUpInput, MAX_TOOL_ROUNDS } from './follow-up';
export { buildAnalysisGraph, LOOP_CONFIDENCE, MAX_REPLANS_PER_RUN } from './graph/analysis-graph';
export { createCheckpointer, DynamoCheckpointSaver } from './memory';
export {
  type AgentMetrics,
  METRIC_LLM_LATENCY,
  METRIC_LLM_TOKENS,
  PowertoolsMetrics,
  RecordingMetrics,
} from './metrics';
export { SCENARIOS, type Scenario, scenarioSeed } from './scenarios';
export { AnalysisState, type Reflection } from './state';
export { buildFollowUpTools, buildTools, type ToolContext } from './tools';
