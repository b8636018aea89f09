import { ChatGoogleGenerativeAI } from '@langchain/google-genai';
import type { Config } from '../config';
import { MAX_OUTPUT_TOKENS, TEMPERATURE } from './settings';
import { LLMError } from './types';

/** Google's endpoint; passed explicitly so no environment variable (e.g. LANGSMITH_GATEWAY) can redirect traffic. */
export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/**
 * Gemini through ChatGoogleGenerativeAI (`POST {base}/v1beta/models/{model}:generateContent`, key in the
 * `x-goog-api-key` header). LangChain's own retries are off (maxRetries 0).
 */
export function createGeminiChatModel(config: Config): ChatGoogleGenerativeAI {
  if (!config.GEMINI_API_KEY) {
    // GEMINI_SECRET_ARN deployments resolve the key into GEMINI_API_KEY before building the client.
    throw new LLMError('gemini', 'config', 'GEMINI_API_KEY is not set (resolve GEMINI_SECRET_ARN first)');
  }
  // LangChain 2.3.2 does not hand the call's AbortSignal to the Google SDK, so the retry loop's time
  // limit is enforced by racing the call; a hung socket is left to the server to close. (The SDK's own
  // `timeout` is not used: it leaves a timer per call running, which keeps a CLI process alive.)
  return new ChatGoogleGenerativeAI({
    model: config.GEMINI_MODEL_ID,
    apiKey: config.GEMINI_API_KEY,
    // The SDK appends `/v1beta/…` itself: a trailing slash would double it.
    baseUrl: (config.GEMINI_BASE_URL ?? GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    temperature: TEMPERATURE,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    maxRetries: 0,
  });
}
