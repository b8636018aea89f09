import type { BaseMessage } from '@langchain/core/messages';
import { Annotation, messagesStateReducer } from '@langchain/langgraph';
import type { Analysis, Anomaly, Incident, LlmUsage, RemediationPlan } from '../providers/domain';
import type { FinalAnswer } from './answer';
import type { ToolRecord } from './evidence';
import { addUsage, ZERO_USAGE } from './llm-call';

/** One pass of the reflect node: what it believed, how sure (computed), what contradicted it. */
export interface Reflection {
  iteration: number;
  hypothesis: string | null;
  provisional_confidence: number;
  contradictions: string[];
  decision: 'continue' | 'replan' | 'finalize';
}

const last = <T>(def: () => T) => Annotation<T>({ reducer: (_a, b) => b, default: def });
const appendUnique = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** The analysis graph's state (issue 4's list, plus tool records, reflections and usage). */
export const AnalysisState = Annotation.Root({
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  incident: Annotation<Incident>(),
  anomaly_data: last<Anomaly[]>(() => []),
  /** Compact text of the error log groups seen so far. */
  log_summary: last<string>(() => ''),
  /** The parsed final answer. */
  analysis_result: last<FinalAnswer | null>(() => null),
  confidence_score: last<number>(() => 0),
  remediation_plan: last<RemediationPlan | null>(() => null),
  /** The runbook id of the working hypothesis (from the last accepted proposal). */
  hypothesis: last<string | null>(() => null),
  hypotheses: Annotation<string[]>({ reducer: appendUnique, default: () => [] }),
  rejected_runbooks: Annotation<string[]>({ reducer: appendUnique, default: () => [] }),
  iteration_count: last<number>(() => 0),
  max_iterations: last<number>(() => 5),
  /** tool_call_id → what that result shows. */
  tool_results: Annotation<Record<string, ToolRecord>>({
    reducer: (a, b) => ({ ...a, ...b }),
    default: () => ({}),
  }),
  reflections: Annotation<Reflection[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
  usage: Annotation<LlmUsage>({ reducer: addUsage, default: () => ZERO_USAGE }),
  /** Why the analysis could not complete (LLM error, unparseable answer). */
  failure: last<string | null>(() => null),
  /** The finished Analysis (set by finalize). */
  analysis: last<Analysis | null>(() => null),
});
export type AnalysisStateT = typeof AnalysisState.State;
export type AnalysisUpdate = typeof AnalysisState.Update;
