import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { createLLMClient, LLMError } from '../../../providers/llm';
import { createRuntime, registerLLMFactory } from '../../../providers/runtime';

describe('runtime', () => {
  let aws: MockAwsProviders;
  beforeAll(async () => {
    aws = await createMockAwsProviders({
      seed: { secrets: { 'arn:gemini': '{"api_key":"k-from-secret"}' } },
    });
  });
  afterAll(() => aws.close());

  it('without the agent, the LLM is not loaded and a call fails with a named config error', async () => {
    const rt = await createRuntime(loadConfig({}), { aws });
    const copy = { ...rt }; // spreading (as handlers do) must not fail
    expect(copy.llm.modelName).toBe('(not loaded)');
    await expect(rt.llm.invoke([])).rejects.toMatchObject({ name: 'LLMError', kind: 'config' });
    await expect(rt.llm.invoke([])).rejects.toBeInstanceOf(LLMError);
  });

  it('builds the registered LLM once, on first use', async () => {
    const calls: string[] = [];
    registerLLMFactory((c) => {
      calls.push(c.LLM_PROVIDER);
      return createLLMClient(c);
    });
    const rt = await createRuntime(loadConfig({}), { aws });
    expect(calls).toEqual([]);
    expect(rt.llm.provider).toBe('mock');
    expect(rt.llm).toBe(rt.llm);
    expect(calls).toHaveLength(1);
  });

  it('reads a deployed Gemini key from Secrets Manager', async () => {
    const config = loadConfig({ LLM_MOCK: 'false', LLM_PROVIDER: 'gemini', GEMINI_SECRET_ARN: 'arn:gemini' });
    const rt = await createRuntime(config, { aws });
    expect(rt.config.GEMINI_API_KEY).toBe('k-from-secret');
  });

  it('an explicit key wins over the secret, and a missing secret stops start-up naming it', async () => {
    const explicit = loadConfig({
      LLM_MOCK: 'false',
      LLM_PROVIDER: 'gemini',
      GEMINI_API_KEY: 'k-env',
      GEMINI_SECRET_ARN: 'arn:gemini',
    });
    expect((await createRuntime(explicit, { aws })).config.GEMINI_API_KEY).toBe('k-env');
    const missing = loadConfig({ LLM_MOCK: 'false', LLM_PROVIDER: 'gemini', GEMINI_SECRET_ARN: 'arn:nope' });
    await expect(createRuntime(missing, { aws })).rejects.toThrow(/arn:nope/);
  });
});
