/**
 * LLM providers: `createLLMClient(config)` picks the mock (LLM_MOCK=true), Gemini (LLM_PROVIDER=gemini)
 * or vLLM (OpenAI-compatible) and wraps it in one LLMClient with a per-attempt timeout
 * (LLM_TIMEOUT_MS), bounded retries with jittered exponential backoff (LLM_MAX_RETRIES) and typed
 * LLMError failures (timeout | http | malformed | network | config | aborted).
 */
import type { Config } from '../config';
import { serviceLogger } from '../logging';
import { ResilientLLMClient, type RetryLogger } from './client';
import { createGeminiChatModel } from './gemini';
import { MockChatModel } from './mock';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS } from './settings';
import type { LLMClient } from './types';
import { createVLLMChatModel } from './vllm';

export { ResilientLLMClient, type RetryLogger } from './client';
export { isRetryable, toLLMError } from './errors';
export { createGeminiChatModel, GEMINI_DEFAULT_BASE_URL } from './gemini';
export { MockChatModel } from './mock';
export { backoffDelay, withRetries } from './retry';
export { MAX_OUTPUT_TOKENS, TEMPERATURE } from './settings';
export { type LLMClient, LLMError, type LLMErrorKind, type LLMProviderName } from './types';
export { createVLLMChatModel } from './vllm';

/** Knobs tests and benches turn; production uses the defaults. */
export interface LLMClientOptions {
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Retry notices; defaults to a Powertools Logger at LOG_LEVEL. */
  logger?: RetryLogger;
  random?: () => number;
}

/** The LLM the configuration asks for. Throws LLMError(kind 'config') when it cannot be built. */
export function createLLMClient(config: Config, options: LLMClientOptions = {}): LLMClient {
  const settings = {
    retries: config.LLM_MAX_RETRIES,
    timeoutMs: config.LLM_TIMEOUT_MS,
    backoffBaseMs: options.backoffBaseMs ?? BACKOFF_BASE_MS,
    backoffMaxMs: options.backoffMaxMs ?? BACKOFF_MAX_MS,
    secrets: [config.VLLM_API_KEY, config.GEMINI_API_KEY].filter((s): s is string => Boolean(s)),
    logger: options.logger ?? serviceLogger('bdp-agent', { logLevel: config.LOG_LEVEL }),
    random: options.random,
  };
  if (config.LLM_MOCK) {
    return new ResilientLLMClient('mock', 'bdp-mock', new MockChatModel(), settings);
  }
  if (config.LLM_PROVIDER === 'gemini') {
    return new ResilientLLMClient('gemini', config.GEMINI_MODEL_ID, createGeminiChatModel(config), settings);
  }
  return new ResilientLLMClient('vllm', config.VLLM_MODEL_NAME, createVLLMChatModel(config), settings);
}
