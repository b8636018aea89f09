import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import {
  type FakeGeminiServer,
  geminiError,
  geminiReply,
  startGeminiServer,
} from '../../fixtures/llm-servers';
import { clientFor, getMetricsTool, llmErrorOf } from './helpers';

const KEY = 'gemini-secret-key-abcdef123';
let server: FakeGeminiServer;

beforeAll(async () => {
  server = await startGeminiServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const gemini = (retries = 2, timeoutMs = 5_000, model = 'gemini-2.5-flash') =>
  clientFor(
    { LLM_PROVIDER: 'gemini', GEMINI_API_KEY: KEY, GEMINI_BASE_URL: server.baseUrl, GEMINI_MODEL_ID: model },
    { LLM_MAX_RETRIES: retries, LLM_TIMEOUT_MS: timeoutMs },
  );
const ask = [new SystemMessage('You are an SRE.'), new HumanMessage('Why is ingest-worker throttled?')];

describe('Gemini provider (@langchain/google ChatGoogle against a local generateContent server)', () => {
  test('sends the model in the path, the key in x-goog-api-key, temperature 0.3, maxOutputTokens 4096 and functionDeclarations', async () => {
    server.enqueue(geminiReply({ text: 'looking' }));
    const { client } = gemini(2, 5_000, 'gemini-2.5-pro');
    expect(client.provider).toBe('gemini');
    expect(client.modelName).toBe('gemini-2.5-pro');
    await client.invoke(ask, { tools: [getMetricsTool] });

    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.path).toBe('/v1beta/models/gemini-2.5-pro:generateContent');
    expect(req.headers['x-goog-api-key']).toBe(KEY);
    expect(req.path).not.toContain(KEY);
    expect(req.body).toMatchObject({
      generationConfig: { temperature: 0.3, maxOutputTokens: 4096 },
      systemInstruction: { parts: [{ text: 'You are an SRE.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Why is ingest-worker throttled?' }] }],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_metrics',
              description: 'CloudWatch metric datapoints for a service',
              parameters: { type: 'object', required: ['service', 'minutes'] },
            },
          ],
        },
      ],
    });
  });

  test('a GEMINI_BASE_URL with a trailing slash reaches the same path', async () => {
    server.enqueue(geminiReply({ text: 'ok' }));
    const { client } = clientFor(
      { LLM_PROVIDER: 'gemini', GEMINI_API_KEY: KEY, GEMINI_BASE_URL: `${server.baseUrl}/` },
      { LLM_MAX_RETRIES: 0 },
    );
    expect((await client.invoke(ask)).content).toBe('ok');
    expect(server.requests[0]!.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
  });

  test('function calls and usage metadata come back parsed on the AIMessage', async () => {
    server.enqueue(
      geminiReply({
        functionCalls: [{ name: 'get_metrics', args: { service: 'ingest-worker', minutes: 15 } }],
        usage: { promptTokenCount: 512, candidatesTokenCount: 24 },
      }),
    );
    const answer = await gemini().client.invoke(ask, { tools: [getMetricsTool] });
    expect(answer.tool_calls).toEqual([
      expect.objectContaining({ name: 'get_metrics', args: { service: 'ingest-worker', minutes: 15 } }),
    ]);
    expect(answer.usage_metadata).toMatchObject({ input_tokens: 512, output_tokens: 24, total_tokens: 536 });
  });

  test('a 500 is retried LLM_MAX_RETRIES times, then fails as an http LLMError', async () => {
    server.setFallback(() => geminiError(500, 'backend error'));
    const err = await llmErrorOf(gemini(2).client.invoke(ask));
    expect(err).toMatchObject({ provider: 'gemini', kind: 'http', status: 500 });
    expect(err.message).toContain('backend error');
    expect(server.requests).toHaveLength(3);
  });

  test('a 429 then a good answer succeeds; a 403 is not retried', async () => {
    server.enqueue(geminiError(429, 'quota'), geminiReply({ text: 'after quota' }));
    expect((await gemini(1).client.invoke(ask)).content).toBe('after quota');
    expect(server.requests).toHaveLength(2);

    server.reset();
    server.setFallback(() => geminiError(403, 'permission denied'));
    const err = await llmErrorOf(gemini(3).client.invoke(ask));
    expect(err).toMatchObject({ kind: 'http', status: 403 });
    expect(server.requests).toHaveLength(1);
  });

  test('a server that never answers gives a timeout LLMError after bounded attempts', async () => {
    server.setFallback(() => ({ hang: true }));
    const err = await llmErrorOf(gemini(2, 250).client.invoke(ask));
    expect(err).toMatchObject({ provider: 'gemini', kind: 'timeout' });
    expect(server.requests).toHaveLength(3);
  });

  test('a non-JSON body and a body without candidates are malformed and not retried', async () => {
    server.setFallback(() => ({ body: 'upstream connect error' }));
    const err = await llmErrorOf(gemini(2).client.invoke(ask));
    expect(err).toMatchObject({ provider: 'gemini', kind: 'malformed' });
    expect(server.requests).toHaveLength(1);

    server.reset();
    server.setFallback(() => ({ body: { candidates: [] } }));
    expect((await llmErrorOf(gemini(2).client.invoke(ask))).kind).toBe('malformed');
    expect(server.requests).toHaveLength(1);
  });

  test('a dropped connection is a network LLMError and is retried', async () => {
    server.setFallback(() => ({ destroy: true }));
    const err = await llmErrorOf(gemini(1).client.invoke(ask));
    expect(err).toMatchObject({ provider: 'gemini', kind: 'network' });
    expect(server.requests).toHaveLength(2);
  });

  test('without a key the client cannot be built: a config LLMError, no request', () => {
    expect(() =>
      clientFor(
        { LLM_PROVIDER: 'gemini', GEMINI_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:g' },
        { GEMINI_API_KEY: undefined },
      ),
    ).toThrow(expect.objectContaining({ name: 'LLMError', kind: 'config', provider: 'gemini' }));
    expect(server.requests).toHaveLength(0);
  });
});
