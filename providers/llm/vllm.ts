import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../config';
import { MAX_OUTPUT_TOKENS, TEMPERATURE } from './settings';

/**
 * vLLM's OpenAI-compatible server through ChatOpenAI (Chat Completions: `POST {VLLM_BASE_URL}/chat/completions`).
 * LangChain's own retries are off (maxRetries 0): the client's retry loop is the only one.
 */
export function createVLLMChatModel(config: Config): ChatOpenAI {
  return new ChatOpenAI({
    model: config.VLLM_MODEL_NAME,
    apiKey: config.VLLM_API_KEY,
    temperature: TEMPERATURE,
    maxTokens: MAX_OUTPUT_TOKENS,
    maxRetries: 0,
    // Also bounds direct use of `chatModel` (outside LLMClient.invoke).
    timeout: config.LLM_TIMEOUT_MS,
    useResponsesApi: false,
    configuration: { baseURL: config.VLLM_BASE_URL },
  });
}
