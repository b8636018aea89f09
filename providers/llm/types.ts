import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';

export type LLMProviderName = 'mock' | 'vllm' | 'gemini';

/** What the agent gets: a tool-calling chat model behind a timeout, bounded retries and typed errors. */
export interface LLMClient {
  readonly provider: LLMProviderName;
  readonly modelName: string;
  /** The LangChain chat model itself (for LangGraph nodes that need it). */
  readonly chatModel: BaseChatModel;
  /**
   * One chat completion, with tools bound when given. Usage (prompt/completion tokens) is on
   * `response.usage_metadata`. Throws LLMError after the retries are spent.
   */
  invoke(
    messages: BaseMessage[],
    options?: { tools?: StructuredToolInterface[]; signal?: AbortSignal },
  ): Promise<AIMessage>;
}

/**
 * timeout: an attempt outlived LLM_TIMEOUT_MS; http: the server answered with an error status;
 * malformed: a 2xx answer that is not a completion; network: no answer (refused, reset, DNS);
 * config: the provider cannot be built; aborted: the caller's signal cancelled the call.
 */
export type LLMErrorKind = 'timeout' | 'http' | 'malformed' | 'network' | 'config' | 'aborted';

/** Says which provider failed and why; the agent turns it into an "undetermined" analysis, never a crash. */
export class LLMError extends Error {
  constructor(
    readonly provider: LLMProviderName,
    readonly kind: LLMErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`LLM provider ${provider} failed (${kind}${status ? ` ${status}` : ''}): ${message}`, options);
    this.name = 'LLMError';
  }
}
