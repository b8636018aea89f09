import { ChatGoogle } from '@langchain/google';
import type { Config } from '../config';
import { MAX_OUTPUT_TOKENS, TEMPERATURE } from './settings';
import { LLMError } from './types';

/** Google's endpoint; passed explicitly so no environment variable (e.g. LANGSMITH_GATEWAY) can redirect traffic. */
export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/**
 * Gemini through `@langchain/google`'s ChatGoogle, which calls the Gemini REST API itself with fetch
 * (`POST {base}/v1beta/models/{model}:generateContent`, key in the `x-goog-api-key` header) — not the
 * deprecated `@google/generative-ai` SDK. The root entry is the fetch client (no google-auth-library:
 * an API key is all we use). LangChain's own retries are off (maxRetries 0): providers/llm/retry.ts is
 * the one retry layer of an LLM call.
 */
export function createGeminiChatModel(config: Config): ChatGoogle {
  if (!config.GEMINI_API_KEY) {
    // GEMINI_SECRET_ARN deployments resolve the key into GEMINI_API_KEY before building the client.
    throw new LLMError('gemini', 'config', 'GEMINI_API_KEY is not set (resolve GEMINI_SECRET_ARN first)');
  }
  return new ChatGoogle({
    model: config.GEMINI_MODEL_ID,
    apiKey: config.GEMINI_API_KEY,
    // The Gemini API (not Vertex), at an explicit endpoint; the client appends `/v1beta/models/…`.
    platformType: 'gai',
    apiVersion: 'v1beta',
    endpoint: (config.GEMINI_BASE_URL ?? GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    temperature: TEMPERATURE,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    maxRetries: 0,
  });
}
