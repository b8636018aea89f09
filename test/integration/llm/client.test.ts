import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { loadConfig } from '../../../providers/config';
import { backoffDelay, createLLMClient, LLMError, MockChatModel, withRetries } from '../../../providers/llm';
import { getMetricsTool, RecordingLogger } from './helpers';

describe('createLLMClient provider choice', () => {
  test('LLM_MOCK=true (the default) gives the mock, which needs no network', async () => {
    const client = createLLMClient(loadConfig({}), { logger: new RecordingLogger() });
    expect(client.provider).toBe('mock');
    expect(client.chatModel).toBeInstanceOf(MockChatModel);
    const answer = await client.invoke([new HumanMessage('hello')]);
    expect(answer).toBeInstanceOf(AIMessage);
  });

  test('LLM_MOCK=true wins over LLM_PROVIDER=gemini', () => {
    const client = createLLMClient(loadConfig({ LLM_MOCK: 'true', LLM_PROVIDER: 'gemini' }));
    expect(client.provider).toBe('mock');
  });

  test('LLM_MOCK=false picks vLLM by default and Gemini when asked', () => {
    expect(createLLMClient(loadConfig({ LLM_MOCK: 'false' })).provider).toBe('vllm');
    const g = createLLMClient(
      loadConfig({ LLM_MOCK: 'false', LLM_PROVIDER: 'gemini', GEMINI_API_KEY: 'k-123456789' }),
    );
    expect(g.provider).toBe('gemini');
    expect(g.modelName).toBe('gemini-2.5-flash');
  });
});

describe('retry policy', () => {
  test('backoff doubles per retry, is jittered below the step, and is capped', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 100, 10_000, () => 1))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(10, 100, 1_000, () => 1)).toBe(1_000);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(0);
  });

  test('waits between attempts follow the backoff', async () => {
    const stamps: number[] = [];
    const attempt = async () => {
      stamps.push(Date.now());
      throw Object.assign(new Error('unavailable'), { status: 503 });
    };
    const opts = { provider: 'vllm' as const, retries: 2, timeoutMs: 1_000, backoffBaseMs: 100 };
    const err = await withRetries(attempt, {
      ...opts,
      backoffMaxMs: 1_000,
      secrets: [],
      random: () => 1,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LLMError);
    expect(stamps).toHaveLength(3);
    expect(stamps[1]! - stamps[0]!).toBeGreaterThanOrEqual(95);
    expect(stamps[2]! - stamps[1]!).toBeGreaterThanOrEqual(195);
  });
});

describe('mock provider through the client', () => {
  test('tools bind on the mock (what it answers is the agent mock contract)', async () => {
    const client = createLLMClient(loadConfig({}), { logger: new RecordingLogger() });
    const answer = await client.invoke([new HumanMessage('Investigate orders-db latency')], {
      tools: [getMetricsTool],
    });
    expect(answer).toBeInstanceOf(AIMessage);
  });
});
