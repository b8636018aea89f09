import { HumanMessage } from '@langchain/core/messages';
import '../../../providers/aws/clients/all';
import { createRealAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { createLLMClient } from '../../../providers/llm';
import { setTraceHooks, type TraceHooks, traceHooks } from '../../../providers/trace-hooks';

/** The tracing seams: every SDK client is captured, every LLM call is one span (with its retries inside). */
describe('trace hooks', () => {
  const captured: unknown[] = [];
  const spans: { name: string; annotations: Record<string, unknown>; failed?: boolean }[] = [];
  const recording: TraceHooks = {
    captureClient: (c) => {
      captured.push(c);
      return c;
    },
    async span(name, annotations, fn) {
      const s: (typeof spans)[number] = { name, annotations };
      spans.push(s);
      try {
        return await fn();
      } catch (e) {
        s.failed = true;
        throw e;
      }
    },
  };
  beforeEach(() => {
    captured.length = 0;
    spans.length = 0;
    setTraceHooks(recording);
  });
  afterAll(() => setTraceHooks(undefined));

  test('every AWS SDK client of the real providers goes through captureClient', () => {
    const aws = createRealAwsProviders(
      loadConfig({
        AWS_MOCK: 'false',
        RDS_CLUSTER_ARN: 'arn:aws:rds:us-east-1:000000000000:cluster:c',
        RDS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:s',
      }),
    );
    // Clients are built on first use: touch every service.
    for (const key of Object.keys(aws))
      expect((aws as unknown as Record<string, unknown>)[key]).toBeDefined();
    const names = captured.map((c) => (c as object).constructor.name).sort();
    expect(names).toEqual([
      'ApplicationAutoScalingClient',
      'CloudWatchClient',
      'CloudWatchLogsClient',
      'DynamoDBClient',
      'ECSClient',
      'EventBridgeClient',
      'LambdaClient',
      'RDSClient',
      'RDSDataClient', // unified logs
      'RDSDataClient', // database sessions
      'S3Client',
      'SFNClient',
      'SecretsManagerClient',
    ]);
  });

  test('each LLM call is one span named llm with provider and model', async () => {
    const llm = createLLMClient(loadConfig({ LLM_MOCK: 'true' }));
    await llm.invoke([new HumanMessage('hello')]);
    await llm.invoke([new HumanMessage('again')]);
    expect(spans).toEqual([
      { name: 'llm', annotations: { provider: 'mock', model: llm.modelName, tools: 0 } },
      { name: 'llm', annotations: { provider: 'mock', model: llm.modelName, tools: 0 } },
    ]);
  });

  test('importing providers/tracing installs Powertools Tracer; off Lambda it passes calls straight through', async () => {
    require('../../../providers/tracing');
    const hooks = traceHooks();
    expect(hooks).not.toBe(recording);
    const client = { send: async () => 'x', middlewareStack: { add: () => undefined, use: () => undefined } };
    expect(hooks.captureClient(client)).toBe(client);
    await expect(hooks.span('llm', { provider: 'mock' }, async () => 42)).resolves.toBe(42);
  });
});
