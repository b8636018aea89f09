// The eval harness on the vLLM path: the real ChatOpenAI client talks HTTP to a local OpenAI-compatible
// server whose answers (tool calls, then the final JSON) come from a replayed analyst.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { replayResponder } from '../../eval/replay-model';
import { runEval } from '../../eval/run';
import { type FakeOpenAIServer, startOpenAIServer } from '../../fixtures/llm-servers';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());

// PGlite start-up plus eight HTTP round trips on a loaded 2-core machine.
jest.setTimeout(90_000);

test('two cases run through VLLM_BASE_URL with tool calls over the wire and are scored', async () => {
  server.setFallback(replayResponder());
  const report = await runEval({
    provider: 'vllm',
    filter: 'db-connections-exhausted,credentials-access-denied',
    env: { VLLM_BASE_URL: server.baseURL, VLLM_MODEL_NAME: 'eval-wire-model', LLM_MAX_RETRIES: '0' },
  });
  const cases = report.cases;
  expect(cases.map((c) => c.id)).toEqual(['credentials-access-denied', 'db-connections-exhausted']);
  expect(report.summary.provider).toBe('vllm');
  expect(report.summary.model).toBe('eval-wire-model');
  for (const c of cases) expect(c.error).toBeUndefined();

  // The model's decisions arrived as tool calls and were executed against the seeded telemetry.
  const db = cases[1]!;
  expect(db).toMatchObject({ root_cause_correct: true, action_correct: true, route: 'auto', unsafe: false });
  const denied = cases[0]!;
  expect(denied).toMatchObject({ action: 'none', route: 'escalate', unsafe: false });

  // Each LLM call was one HTTP request with the model name and the tool list; usage came back from the wire.
  const bodies = server.requests.map(
    (r) => r.body as { model: string; tools?: { function: { name: string } }[] },
  );
  expect(bodies.length).toBe(db.llm_calls + denied.llm_calls);
  expect(bodies.every((b) => b.model === 'eval-wire-model')).toBe(true);
  expect(bodies[0]!.tools?.map((t) => t.function.name)).toEqual(
    expect.arrayContaining(['query_cloudwatch_metrics', 'query_rds_logs', 'search_knowledge_base']),
  );
  const toolResults = server.requests.flatMap((r) =>
    ((r.body as { messages: { role: string }[] }).messages ?? []).filter((m) => m.role === 'tool'),
  );
  expect(toolResults.length).toBeGreaterThan(0);
  expect(db.tokens).toBeGreaterThan(0);
});
