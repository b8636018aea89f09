import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { END, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { RemediationPlan } from '../../providers/domain';
import { LLMError } from '../../providers/llm/types';
import { type FinalAnswer, parseFinalAnswer, textOf } from '../answer';
import { buildAnalysis, diagnose, undeterminedAnalysis } from '../build-analysis';
import { computeConfidence } from '../confidence';
import { type ToolRecord, toolRecord } from '../evidence';
import { addUsage, callModel } from '../llm-call';
import type { AgentMetrics } from '../metrics';
import { FINAL_ANSWER_REQUIRED, reflectionMessage, repairMessage } from '../prompts';
import { AnalysisState, type AnalysisStateT, type AnalysisUpdate, type Reflection } from '../state';
import { LogsOutput, type ToolContext } from '../tools';
import { isErrorLevel } from '../tools/logs';

export interface GraphDeps {
  ctx: ToolContext;
  tools: StructuredToolInterface[];
  metrics?: AgentMetrics;
}

/** Stop looping once the provisional confidence reaches this and a plan is on the table (issue 4). */
export const LOOP_CONFIDENCE = 0.7;
/** Reflection may overturn the hypothesis at most this often per run. */
export const MAX_REPLANS_PER_RUN = 2;

const NONE = RemediationPlan.parse({ action: 'none', parameters: {}, risk: 'low' });

const failureText = (e: unknown) =>
  e instanceof LLMError ? e.message : `the model call failed: ${e instanceof Error ? e.message : String(e)}`;

const lastMessage = (s: AnalysisStateT): BaseMessage | undefined => s.messages[s.messages.length - 1];
const hasToolCalls = (m: BaseMessage | undefined) =>
  m instanceof AIMessage && (m.tool_calls?.length ?? 0) > 0;

/**
 * think → act (ToolNode) → observe → reflect → (think | replan → think | finalize).
 * The model chooses tools; the code keeps the facts, computes confidence and decides when to stop.
 */
export function buildAnalysisGraph(deps: GraphDeps) {
  const { ctx, tools, metrics } = deps;
  const toolNode = new ToolNode(tools, { handleToolErrors: true });

  const think = async (s: AnalysisStateT): Promise<AnalysisUpdate> => {
    try {
      const { message, usage } = await callModel(ctx.rt.llm, s.messages, { tools, metrics });
      return { messages: [message], usage };
    } catch (e) {
      return { failure: failureText(e) };
    }
  };

  const observe = (s: AnalysisStateT): AnalysisUpdate => {
    const fresh: Record<string, ToolRecord> = {};
    const update: AnalysisUpdate = { iteration_count: s.iteration_count + 1 };
    const summaries: string[] = [];
    for (const m of s.messages) {
      if (!(m instanceof ToolMessage) || s.tool_results[m.tool_call_id]) continue;
      const name = m.name ?? 'unknown_tool';
      const rec = toolRecord(m.tool_call_id, name, textOf(m.content));
      fresh[m.tool_call_id] = rec;
      if (rec.proposal?.accepted && rec.proposal.runbook_id) {
        update.hypothesis = rec.proposal.runbook_id;
        const plan = RemediationPlan.safeParse(rec.proposal.plan);
        update.remediation_plan = plan.success ? plan.data : NONE;
        const title = ctx.kb.get(rec.proposal.runbook_id)?.title ?? rec.proposal.runbook_id;
        update.hypotheses = [title];
      }
      if (name === 'query_rds_logs' || name === 'query_cloudwatch_logs') {
        const l = LogsOutput.safeParse(safeJson(textOf(m.content)));
        if (l.success)
          for (const g of l.data.groups.filter((x) => isErrorLevel(x.level)).slice(0, 5))
            summaries.push(`${l.data.source} ${g.level} ×${g.count}: ${g.template}`);
      }
    }
    update.tool_results = fresh;
    if (summaries.length)
      update.log_summary = [s.log_summary, ...summaries].filter(Boolean).join('\n').slice(-4000);
    return update;
  };

  const reflect = (s: AnalysisStateT): AnalysisUpdate => {
    const records = Object.values(s.tool_results);
    const runbook = s.hypothesis ? ctx.kb.get(s.hypothesis) : undefined;
    const dx = diagnose(ctx, records, runbook?.id);
    const found = dx.support?.contradictions ?? [];
    const plan = s.remediation_plan ?? NONE;
    // Only results the model itself cited so far count: a result nobody relied on proves nothing yet.
    const cited = citedIds(s.messages, records);
    const provisional = computeConfidence({
      evidence: records.filter((r) => cited.has(r.id)).map((r) => ({ claim: r.tool, source: r.id })),
      records,
      support: dx.support,
      escalateOnly: runbook?.escalate,
      differential: dx.differential,
      plan,
      planStatus: plan.action === 'none' ? 'none' : 'allowed',
      autoThreshold: ctx.rt.config.AUTO_EXECUTE_THRESHOLD,
    }).breakdown.total;
    let decision: Reflection['decision'] = 'continue';
    if (found.length && s.hypothesis && s.rejected_runbooks.length < MAX_REPLANS_PER_RUN) decision = 'replan';
    else if (s.iteration_count >= s.max_iterations) decision = 'finalize';
    else if (provisional >= LOOP_CONFIDENCE && s.remediation_plan) decision = 'finalize';
    return {
      confidence_score: provisional,
      reflections: [
        {
          iteration: s.iteration_count,
          hypothesis: s.hypothesis,
          provisional_confidence: provisional,
          contradictions: found,
          decision,
        },
      ],
    };
  };

  const replan = (s: AnalysisStateT): AnalysisUpdate => {
    const r = s.reflections[s.reflections.length - 1]!;
    const id = s.hypothesis ?? 'unknown';
    return {
      messages: [new HumanMessage(reflectionMessage(id, r.contradictions))],
      rejected_runbooks: [id],
      hypothesis: null,
      remediation_plan: null,
    };
  };

  const finalize = async (s: AnalysisStateT): Promise<AnalysisUpdate> => {
    const extra = { usage: s.usage, iterations: s.iteration_count, hypotheses: s.hypotheses };
    if (s.failure) return { analysis: undeterminedAnalysis(ctx.rt, s.incident, s.failure, extra) };
    const messages = [...s.messages];
    const added: BaseMessage[] = [];
    let usage = s.usage;
    const ask = async (prompt: string): Promise<string> => {
      const h = new HumanMessage(prompt);
      messages.push(h);
      added.push(h);
      const { message, usage: u } = await callModel(ctx.rt.llm, messages, { metrics });
      messages.push(message);
      added.push(message);
      usage = addUsage(usage, u);
      return textOf(message.content);
    };
    let answer: FinalAnswer | undefined;
    try {
      const lastMsg = lastMessage(s);
      let text =
        lastMsg instanceof AIMessage && !hasToolCalls(lastMsg)
          ? textOf(lastMsg.content)
          : await ask(FINAL_ANSWER_REQUIRED);
      let parsed = parseFinalAnswer(text);
      if (!parsed.ok) {
        text = await ask(repairMessage(parsed.error));
        parsed = parseFinalAnswer(text);
      }
      if (!parsed.ok) {
        const reason = `the model's answer could not be parsed after one repair attempt (${parsed.error})`;
        return {
          messages: added,
          usage: diff(usage, s.usage),
          analysis: undeterminedAnalysis(ctx.rt, s.incident, reason, { ...extra, usage }),
        };
      }
      answer = parsed.answer;
    } catch (e) {
      return {
        messages: added,
        usage: diff(usage, s.usage),
        failure: failureText(e),
        analysis: undeterminedAnalysis(ctx.rt, s.incident, failureText(e), { ...extra, usage }),
      };
    }
    const analysis = buildAnalysis(ctx, answer, Object.values(s.tool_results), { ...extra, usage });
    return {
      messages: added,
      usage: diff(usage, s.usage),
      analysis_result: answer,
      analysis,
      confidence_score: analysis.confidence_score,
      remediation_plan: analysis.remediation_plan,
    };
  };

  return new StateGraph(AnalysisState)
    .addNode('think', think)
    .addNode('act', toolNode)
    .addNode('observe', observe)
    .addNode('reflect', reflect)
    .addNode('replan', replan)
    .addNode('finalize', finalize)
    .addEdge(START, 'think')
    .addConditionalEdges(
      'think',
      (s) => (s.failure ? 'finalize' : hasToolCalls(lastMessage(s)) ? 'act' : 'finalize'),
      ['act', 'finalize'],
    )
    .addEdge('act', 'observe')
    .addEdge('observe', 'reflect')
    .addConditionalEdges(
      'reflect',
      (s) => {
        const d = s.reflections[s.reflections.length - 1]?.decision ?? 'continue';
        return d === 'replan' ? 'replan' : d === 'finalize' ? 'finalize' : 'think';
      },
      ['think', 'replan', 'finalize'],
    )
    .addEdge('replan', 'think')
    .addEdge('finalize', END)
    .compile();
}

/** Tool result ids the model's own messages cite (its text or the arguments of its tool calls). */
function citedIds(messages: BaseMessage[], records: ToolRecord[]): Set<string> {
  const said = messages
    .filter((m) => m instanceof AIMessage)
    .map(
      (m) => `${textOf(m.content)} ${JSON.stringify((m as AIMessage).tool_calls?.map((c) => c.args) ?? [])}`,
    )
    .join('\n');
  return new Set(records.map((r) => r.id).filter((id) => said.includes(id)));
}

function safeJson(t: string): unknown {
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/** The usage reducer adds: hand it only what this node spent. */
const diff = (a: AnalysisStateT['usage'], b: AnalysisStateT['usage']) => ({
  llm_calls: a.llm_calls - b.llm_calls,
  prompt_tokens: a.prompt_tokens - b.prompt_tokens,
  completion_tokens: a.completion_tokens - b.completion_tokens,
  latency_ms: a.latency_ms - b.latency_ms,
});
