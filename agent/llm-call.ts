import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { LlmUsage } from '../providers/domain';
import { createLLMClient } from '../providers/llm';
import type { LLMClient } from '../providers/llm/types';
import { registerLLMFactory } from '../providers/runtime';
import type { AgentMetrics } from './metrics';

// The runtime builds its LLM lazily through this factory: only entries that run the agent carry
// LangChain and the provider SDKs in their bundles.
registerLLMFactory(createLLMClient);

export const ZERO_USAGE: LlmUsage = { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0, latency_ms: 0 };

export const addUsage = (a: LlmUsage, b: LlmUsage): LlmUsage => ({
  llm_calls: a.llm_calls + b.llm_calls,
  prompt_tokens: a.prompt_tokens + b.prompt_tokens,
  completion_tokens: a.completion_tokens + b.completion_tokens,
  latency_ms: a.latency_ms + b.latency_ms,
});

/**
 * One model call through the LLMClient (which owns timeouts, retries and LLMError), measuring
 * latency and tokens for the analysis result and the LLMLatency / LLMTokens metrics.
 */
export async function callModel(
  llm: LLMClient,
  messages: BaseMessage[],
  opts: { tools?: StructuredToolInterface[]; metrics?: AgentMetrics },
): Promise<{ message: AIMessage; usage: LlmUsage }> {
  const started = Date.now();
  const message = await llm.invoke(messages, opts.tools ? { tools: opts.tools } : undefined);
  const latency = Date.now() - started;
  const u = message.usage_metadata;
  const usage: LlmUsage = {
    llm_calls: 1,
    prompt_tokens: u?.input_tokens ?? 0,
    completion_tokens: u?.output_tokens ?? 0,
    latency_ms: latency,
  };
  opts.metrics?.llmCall(usage);
  return { message, usage };
}
