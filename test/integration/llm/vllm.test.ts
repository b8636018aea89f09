import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import {
  type FakeOpenAIServer,
  openAIError,
  openAIReply,
  startOpenAIServer,
} from '../../fixtures/llm-servers';
import { clientFor, getMetricsTool, llmErrorOf } from './helpers';

const KEY = 'vllm-secret-key-0123456789';
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const vllm = (retries = 2, timeoutMs = 5_000) =>
  clientFor(
    { VLLM_BASE_URL: server.baseURL, VLLM_MODEL_NAME: 'Qwen/Qwen2.5-7B-Instruct', VLLM_API_KEY: KEY },
    { LLM_MAX_RETRIES: retries, LLM_TIMEOUT_MS: timeoutMs },
  );
const ask = [new SystemMessage('You are an SRE.'), new HumanMessage('Why is orders-db slow?')];

describe('vLLM provider (ChatOpenAI against a local OpenAI-compatible server)', () => {
  test('sends model, temperature 0.3, max_tokens 4096, the messages and the tools in OpenAI format', async () => {
    server.enqueue(openAIReply({ content: 'looking' }));
    const { client } = vllm();
    expect(client.provider).toBe('vllm');
    expect(client.modelName).toBe('Qwen/Qwen2.5-7B-Instruct');
    await client.invoke(ask, { tools: [getMetricsTool] });

    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.body).toMatchObject({
      model: 'Qwen/Qwen2.5-7B-Instruct',
      temperature: 0.3,
      max_tokens: 4096,
      messages: [
        { role: 'system', content: 'You are an SRE.' },
        { role: 'user', content: 'Why is orders-db slow?' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_metrics',
            description: 'CloudWatch metric datapoints for a service',
            parameters: {
              type: 'object',
              properties: { service: { type: 'string' }, minutes: { type: 'integer' } },
              required: ['service', 'minutes'],
            },
          },
        },
      ],
    });
  });

  test('without tools it sends no tools field', async () => {
    server.enqueue(openAIReply({ content: 'fine' }));
    const answer = await vllm().client.invoke(ask);
    expect(answer.content).toBe('fine');
    expect(server.requests[0]!.body).not.toHaveProperty('tools');
  });

  test('tool calls and token usage come back parsed on the AIMessage', async () => {
    server.enqueue(
      openAIReply({
        toolCalls: [{ id: 'call_42', name: 'get_metrics', args: { service: 'orders-db', minutes: 30 } }],
        usage: { prompt_tokens: 321, completion_tokens: 17 },
      }),
    );
    const answer = await vllm().client.invoke(ask, { tools: [getMetricsTool] });
    expect(answer.tool_calls).toEqual([
      expect.objectContaining({
        id: 'call_42',
        name: 'get_metrics',
        args: { service: 'orders-db', minutes: 30 },
      }),
    ]);
    expect(answer.usage_metadata).toMatchObject({ input_tokens: 321, output_tokens: 17, total_tokens: 338 });
  });

  test('a 500 is retried LLM_MAX_RETRIES times, then fails as an http LLMError (and the log names no key)', async () => {
    server.setFallback(() => openAIError(500, 'engine overloaded'));
    const { client, logger } = vllm(2);
    const err = await llmErrorOf(client.invoke(ask));
    expect(err).toMatchObject({ provider: 'vllm', kind: 'http', status: 500 });
    expect(err.message).toContain('engine overloaded');
    expect(server.requests).toHaveLength(3);
    expect(logger.lines.map((l) => l.extra.attempt)).toEqual([1, 2]);
    expect(JSON.stringify(logger.lines)).not.toContain(KEY);
  });

  test('a 503 then a good answer succeeds on the retry', async () => {
    server.enqueue(openAIError(503), openAIReply({ content: 'recovered' }));
    const answer = await vllm(2).client.invoke(ask);
    expect(answer.content).toBe('recovered');
    expect(server.requests).toHaveLength(2);
  });

  test('a 429 is retried; a 400 is not', async () => {
    server.enqueue(openAIError(429, 'slow down'), openAIReply({ content: 'ok after 429' }));
    expect((await vllm(1).client.invoke(ask)).content).toBe('ok after 429');
    expect(server.requests).toHaveLength(2);

    server.reset();
    server.setFallback(() => openAIError(400, 'bad request'));
    const err = await llmErrorOf(vllm(3).client.invoke(ask));
    expect(err).toMatchObject({ kind: 'http', status: 400 });
    expect(server.requests).toHaveLength(1);
  });

  test('a server that never answers gives a timeout LLMError after bounded attempts', async () => {
    server.setFallback(() => ({ hang: true }));
    const started = Date.now();
    const err = await llmErrorOf(vllm(1, 300).client.invoke(ask));
    expect(err).toMatchObject({ provider: 'vllm', kind: 'timeout' });
    expect(err.message).toContain('300 ms');
    expect(server.requests).toHaveLength(2);
    // Two 300 ms attempts; generous bound for a loaded machine, far below an unbounded wait.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('a 200 whose body is not JSON is a malformed LLMError and is not retried', async () => {
    server.setFallback(() => ({ body: '<html>gateway page</html>' }));
    const err = await llmErrorOf(vllm(2).client.invoke(ask));
    expect(err).toMatchObject({ provider: 'vllm', kind: 'malformed' });
    expect(server.requests).toHaveLength(1);
  });

  test('a 200 JSON body that is not a completion is malformed', async () => {
    server.enqueue({ body: { hello: 'world' } });
    const err = await llmErrorOf(vllm(0).client.invoke(ask));
    expect(err.kind).toBe('malformed');
  });

  test('a dropped connection is a network LLMError and is retried', async () => {
    server.setFallback(() => ({ destroy: true }));
    const err = await llmErrorOf(vllm(1).client.invoke(ask));
    expect(err).toMatchObject({ provider: 'vllm', kind: 'network' });
    expect(server.requests).toHaveLength(2);
  });

  test('nothing listening on VLLM_BASE_URL is a network LLMError naming the provider', async () => {
    const gone = await startOpenAIServer();
    const baseURL = gone.baseURL;
    await gone.close();
    const { client } = clientFor({ VLLM_BASE_URL: baseURL }, { LLM_MAX_RETRIES: 1 });
    const err = await llmErrorOf(client.invoke(ask));
    expect(err).toMatchObject({ provider: 'vllm', kind: 'network' });
    expect(err.message).toMatch(/^LLM provider vllm failed \(network\)/);
  });

  test('the caller can cancel: aborted, no further retries', async () => {
    const controller = new AbortController();
    // Cancel once the request is in flight on the server, which then never answers.
    server.setFallback(() => {
      setTimeout(() => controller.abort(), 20);
      return { hang: true };
    });
    const started = Date.now();
    const err = await llmErrorOf(vllm(3, 5_000).client.invoke(ask, { signal: controller.signal }));
    expect(err.kind).toBe('aborted');
    expect(server.requests).toHaveLength(1);
    // Without the cancel this would take 4 attempts × 5 s.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('an error body that echoes the API key is masked in the LLMError', async () => {
    server.enqueue(openAIError(401, `Incorrect API key provided: ${KEY}`));
    const err = await llmErrorOf(vllm(0).client.invoke(ask));
    expect(err).toMatchObject({ kind: 'http', status: 401 });
    expect(err.message).not.toContain(KEY);
    expect(err.message).toContain('(hidden)');
  });
});
