import type { ToolDefinition } from '@langchain/core/language_models/base';
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { MockChatModel } from '../../providers/llm/mock';
import type { Responder, ScriptedResponse } from '../fixtures/llm-servers';
import { openAIReply } from '../fixtures/llm-servers';

/**
 * A Responder for the fake OpenAI server that answers like a model would: it turns the Chat
 * Completions request (messages with tool calls and tool results, the tool list) back into LangChain
 * messages and lets the deterministic analyst (MockChatModel) decide the next turn — tool calls or the
 * final JSON — then sends it in the wire format with usage. This lets the eval run end to end through
 * the real ChatOpenAI client, HTTP and tool-call parsing without a GPU.
 */
interface WireMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

const textOf = (c: unknown): string =>
  typeof c === 'string'
    ? c
    : Array.isArray(c)
      ? c.map((p) => (p && typeof p === 'object' && 'text' in p ? String(p.text) : '')).join('')
      : '';

export function toLangChain(messages: WireMessage[]): BaseMessage[] {
  return messages.map((m) => {
    const content = textOf(m.content);
    if (m.role === 'system') return new SystemMessage(content);
    if (m.role === 'user') return new HumanMessage(content);
    if (m.role === 'tool') return new ToolMessage({ content, tool_call_id: m.tool_call_id ?? '' });
    return new AIMessage({
      content,
      tool_calls: (m.tool_calls ?? []).map((t) => ({
        id: t.id,
        name: t.function.name,
        args: JSON.parse(t.function.arguments || '{}') as Record<string, unknown>,
        type: 'tool_call' as const,
      })),
    });
  });
}

export function replayResponder(): Responder {
  const model = new MockChatModel();
  let turn = 0;
  return async (req): Promise<ScriptedResponse> => {
    // The request's tool list is OpenAI ToolDefinitions, which bindTools takes as they are.
    const body = req.body as { messages?: WireMessage[]; tools?: ToolDefinition[] };
    const reply = await model.bindTools(body.tools ?? []).invoke(toLangChain(body.messages ?? []));
    const usage = reply.usage_metadata;
    const out = openAIReply({
      content: textOf(reply.content) || null,
      toolCalls: (reply.tool_calls ?? []).map((t) => ({ id: t.id, name: t.name, args: t.args })),
      usage: { prompt_tokens: usage?.input_tokens ?? 1, completion_tokens: usage?.output_tokens ?? 1 },
    });
    // Real servers give every completion its own id; LangGraph's message reducer merges equal ids.
    return { ...out, body: { ...(out.body as Record<string, unknown>), id: `chatcmpl-replay-${++turn}` } };
  };
}
