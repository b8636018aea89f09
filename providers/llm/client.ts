import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { traceHooks } from '../trace-hooks';
import { withRetries } from './retry';
import { type LLMClient, LLMError, type LLMProviderName } from './types';

/** Where retry notices go; Powertools' Logger fits. Never given the API key. */
export interface RetryLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface ResilienceSettings {
  retries: number;
  timeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Values masked in every error message. */
  secrets: readonly string[];
  logger?: RetryLogger;
  random?: () => number;
}

/** Normalises what a (possibly tool-bound) chat model returned to an AIMessage, or says it is not one. */
function asAIMessage(provider: LLMProviderName, out: unknown): AIMessage {
  if (AIMessage.isInstance(out)) return out;
  if (AIMessageChunk.isInstance(out)) {
    return new AIMessage({
      content: out.content,
      id: out.id,
      tool_calls: out.tool_calls,
      invalid_tool_calls: out.invalid_tool_calls,
      usage_metadata: out.usage_metadata,
      additional_kwargs: out.additional_kwargs,
      response_metadata: out.response_metadata,
    });
  }
  throw new LLMError(provider, 'malformed', 'the model returned something other than an AI message');
}

/** LLMClient over any LangChain chat model: per-attempt timeout, bounded retries, typed errors. */
export class ResilientLLMClient implements LLMClient {
  constructor(
    readonly provider: LLMProviderName,
    readonly modelName: string,
    readonly chatModel: BaseChatModel,
    private readonly settings: ResilienceSettings,
  ) {}

  async invoke(
    messages: BaseMessage[],
    options: { tools?: StructuredToolInterface[]; signal?: AbortSignal } = {},
  ): Promise<AIMessage> {
    const runnable = options.tools?.length ? this.bind(options.tools) : this.chatModel;
    // One trace span per LLM call (its retries inside), when the entry installed a tracer.
    const span = { provider: this.provider, model: this.modelName, tools: options.tools?.length ?? 0 };
    const out = await traceHooks().span('llm', span, () =>
      withRetries((signal) => runnable.invoke(messages, { signal }), {
        provider: this.provider,
        retries: this.settings.retries,
        timeoutMs: this.settings.timeoutMs,
        backoffBaseMs: this.settings.backoffBaseMs,
        backoffMaxMs: this.settings.backoffMaxMs,
        secrets: this.settings.secrets,
        signal: options.signal,
        random: this.settings.random,
        onRetry: ({ attempt, delayMs, error }) =>
          this.settings.logger?.warn('LLM call failed; retrying', {
            provider: this.provider,
            model: this.modelName,
            attempt,
            of: this.settings.retries,
            delayMs,
            kind: error.kind,
            status: error.status,
            error: error.message,
          }),
      }),
    );
    return asAIMessage(this.provider, out);
  }

  private bind(tools: StructuredToolInterface[]) {
    if (typeof this.chatModel.bindTools !== 'function') {
      throw new LLMError(this.provider, 'config', `model ${this.modelName} cannot bind tools`);
    }
    return this.chatModel.bindTools(tools);
  }
}
