import {
  type AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  type ToolMessage,
} from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import type { IncidentState, LlmUsage } from '../providers/domain';
import { LLMError } from '../providers/llm/types';
import type { Runtime } from '../providers/runtime';
import { textOf } from './answer';
import { type KnowledgeBase, knowledgeBaseFor } from './knowledge';
import { addUsage, callModel, ZERO_USAGE } from './llm-call';
import { agentLogger } from './log';
import { createCheckpointer } from './memory';
import { type AgentMetrics, defaultMetrics } from './metrics';
import { FOLLOW_UP_SYSTEM, followUpContext } from './prompts';
import { buildFollowUpTools, type ToolContext } from './tools';

export interface FollowUpInput {
  state: IncidentState;
  thread_id: string;
  question: string;
  user: string;
}

export interface FollowUpDeps {
  knowledge?: KnowledgeBase;
  checkpointer?: BaseCheckpointSaver;
  metrics?: AgentMetrics;
}

/** Tool rounds per question before the model must answer with what it has. */
export const MAX_TOOL_ROUNDS = 3;
/** The system message is replaced (same id) on every turn so the record reflects the incident's latest state. */
const CONTEXT_ID = 'incident-context';

/**
 * Answers a question about an incident in its chat thread. The thread's earlier turns come back from
 * the checkpointer (DynamoDB), keyed by thread_id; the model may call read-only tools. LLM trouble
 * gives an apologetic answer naming the cause rather than an exception.
 */
export async function answerFollowUp(
  rt: Runtime,
  input: FollowUpInput,
  deps: FollowUpDeps = {},
): Promise<{ answer: string; usage: LlmUsage }> {
  const question = input.question.trim();
  if (!question || question.length > 2000) throw new Error('question: expected 1 to 2000 characters of text');
  if (!/^[\w.:@/-]{1,200}$/.test(input.thread_id))
    throw new Error('thread_id: expected 1 to 200 characters of letters, digits and . : @ / _ -');
  const log = agentLogger().createChild({
    persistentKeys: { incident_id: input.state.incident.incident_id, thread_id: input.thread_id },
  });
  const metrics = deps.metrics ?? defaultMetrics(rt.config.METRICS_NAMESPACE, rt.llm.provider);
  let usage = ZERO_USAGE;
  try {
    const kb = deps.knowledge ?? (await knowledgeBaseFor(rt));
    const ctx: ToolContext = {
      rt,
      incident: input.state.incident,
      kb,
      failedPlans: input.state.failed_attempts.map((f) => f.plan),
    };
    const tools = buildFollowUpTools(ctx);
    const toolNode = new ToolNode(tools, { handleToolErrors: true });

    const agent = async (s: typeof MessagesAnnotation.State) => {
      const lastHuman = findLastIndex(s.messages, (m) => m.getType() === 'human');
      const rounds = s.messages
        .slice(lastHuman + 1)
        .filter((m) => m.getType() === 'ai' && (m as AIMessage).tool_calls?.length).length;
      const { message, usage: u } = await callModel(rt.llm, s.messages, {
        tools: rounds < MAX_TOOL_ROUNDS ? tools : undefined,
        metrics,
      });
      usage = addUsage(usage, u);
      return { messages: [message] };
    };
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', agent)
      .addNode('tools', toolNode)
      .addEdge(START, 'agent')
      .addConditionalEdges(
        'agent',
        (s) => {
          const m = s.messages[s.messages.length - 1];
          return m?.getType() === 'ai' && (m as AIMessage).tool_calls?.length ? 'tools' : END;
        },
        ['tools', END],
      )
      .addEdge('tools', 'agent')
      .compile({ checkpointer: deps.checkpointer ?? createCheckpointer(rt) });

    const out = await graph.invoke(
      {
        messages: [
          new SystemMessage({
            id: CONTEXT_ID,
            content: `${FOLLOW_UP_SYSTEM}\n${followUpContext(input.state, {
              verify_wait_seconds: rt.config.VERIFY_WAIT_SECONDS,
              approval_timeout_seconds: rt.config.APPROVAL_TIMEOUT_SECONDS,
            })}`,
          }),
          new HumanMessage(question),
        ],
      },
      { configurable: { thread_id: input.thread_id }, recursionLimit: 4 * MAX_TOOL_ROUNDS + 6 },
    );
    const last = out.messages[out.messages.length - 1];
    const sources = citationLabels(out.messages, input.state, rt.now());
    const answer = readableCitations(textOf(last?.content).trim(), sources) || 'I have no answer to that.';
    log.info('follow-up answered', { user: input.user, usage });
    return { answer, usage };
  } catch (e) {
    const why = e instanceof LLMError ? e.message : (e as Error).message;
    log.error('follow-up failed', { user: input.user, error: why });
    return { answer: `Sorry, I could not answer that right now: ${why}`, usage };
  } finally {
    metrics.flush();
  }
}

const TOOL_LABEL: Record<string, string> = {
  query_cloudwatch_metrics: 'CloudWatch metrics',
  query_rds_logs: 'unified logs',
  query_cloudwatch_logs: 'CloudWatch Logs',
  search_knowledge_base: 'knowledge base',
  analyze_patterns: 'log and metric patterns',
  get_recent_changes: 'change history',
  get_incident_history: 'incident history',
  propose_remediation: 'remediation policy',
};

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/** "CloudWatch metrics, 14:05–15:05 UTC": the tool's name and the time range its output covers. */
function labelOf(tool: string, output: string, at: Date | undefined): string {
  const name = TOOL_LABEL[tool] ?? tool.replace(/_/g, ' ');
  if (!at) return name;
  let doc: Record<string, unknown> = {};
  try {
    doc = JSON.parse(output) as Record<string, unknown>;
  } catch {
    return name;
  }
  const minutes =
    typeof doc.window_minutes === 'number'
      ? doc.window_minutes
      : typeof doc.window_hours === 'number'
        ? doc.window_hours * 60
        : typeof doc.window_days === 'number'
          ? doc.window_days * 1440
          : undefined;
  if (minutes === undefined) return `${name}, ${hhmm(at)} UTC`;
  const from = new Date(at.getTime() - minutes * 60_000);
  if (minutes >= 2880)
    return `${name}, ${from.toISOString().slice(0, 10)} to ${at.toISOString().slice(0, 10)} ${hhmm(at)} UTC`;
  if (minutes >= 1440) return `${name}, last ${Math.round(minutes / 60)} h to ${hhmm(at)} UTC`;
  return `${name}, ${hhmm(from)}–${hhmm(at)} UTC`;
}

/**
 * Every citation id the answer may use → a readable source. Tool calls of this turn ran just now
 * (their window ends at `now`); earlier turns' and the analysis' calls keep only the tool's name.
 */
export function citationLabels(
  messages: BaseMessage[],
  state: FollowUpInput['state'],
  now: Date,
): Map<string, string> {
  const labels = new Map<string, string>();
  for (const e of state.analysis?.evidence ?? [])
    labels.set(e.source, TOOL_LABEL[e.tool ?? ''] ?? 'analysis');
  const lastHuman = findLastIndex(messages, (m) => m.getType() === 'human');
  messages.forEach((m, i) => {
    if (m.getType() !== 'tool') return;
    const t = m as ToolMessage;
    labels.set(
      t.tool_call_id,
      labelOf(String(t.name ?? ''), textOf(t.content), i > lastHuman ? now : undefined),
    );
  });
  return labels;
}

/**
 * Replaces `[call id]` citations with their readable source and drops ids nobody can read (a chat
 * reader cannot open a tool_call_id). Identical neighbouring citations collapse into one.
 */
export function readableCitations(answer: string, labels: Map<string, string>): string {
  return answer
    .replace(/\s*\[([^\]\s]{1,80})\]/g, (whole, id: string) => {
      const label = labels.get(id);
      if (label) return ` (${label})`;
      return /^(call|toolu|tool)[_-]/i.test(id) || /^[a-z]+_\d+(_\d+)?$/i.test(id) ? '' : whole;
    })
    .replace(/ \(([^()]+)\)(?:[,;]? \(\1\))+/g, ' ($1)');
}

function findLastIndex(xs: BaseMessage[], f: (m: BaseMessage) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i]!)) return i;
  return -1;
}
