import { type AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import type { IncidentState, LlmUsage } from '../providers/domain';
import { LLMError } from '../providers/llm/types';
import { redactText } from '../providers/redact';
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
            content: `${FOLLOW_UP_SYSTEM}\n${followUpContext(input.state)}`,
          }),
          // A person may paste a secret into the thread: the model (maybe off-account) never sees it.
          new HumanMessage(redactText(question)),
        ],
      },
      { configurable: { thread_id: input.thread_id }, recursionLimit: 4 * MAX_TOOL_ROUNDS + 6 },
    );
    const last = out.messages[out.messages.length - 1];
    const answer = textOf(last?.content).trim() || 'I have no answer to that.';
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

function findLastIndex(xs: BaseMessage[], f: (m: BaseMessage) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i]!)) return i;
  return -1;
}
