import { METRIC_LLM_LATENCY, METRIC_LLM_TOKENS, PowertoolsMetrics } from '../../../agent/metrics';

describe('LLM metrics hook', () => {
  test('PowertoolsMetrics emits LLMLatency (ms) and LLMTokens as EMF in the configured namespace', () => {
    // POWERTOOLS_DEV makes Powertools print through the global console, which the test can watch.
    // (dev mode would also disable metrics unless POWERTOOLS_METRICS_DISABLED says otherwise).
    process.env.POWERTOOLS_DEV = 'true';
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(String(line));
    });
    try {
      const m = new PowertoolsMetrics('BDPAgent', 'mock');
      m.llmCall({ llm_calls: 1, prompt_tokens: 300, completion_tokens: 20, latency_ms: 1234 });
      m.flush();
    } finally {
      spy.mockRestore();
      delete process.env.POWERTOOLS_DEV;
      delete process.env.POWERTOOLS_METRICS_DISABLED;
    }
    const emf = JSON.parse(lines.join('').trim().split('\n').at(-1)!);
    const def = emf._aws.CloudWatchMetrics[0];
    expect(def.Namespace).toBe('BDPAgent');
    expect(def.Metrics).toEqual(
      expect.arrayContaining([
        { Name: METRIC_LLM_LATENCY, Unit: 'Milliseconds' },
        { Name: METRIC_LLM_TOKENS, Unit: 'Count' },
      ]),
    );
    expect(emf.LLMLatency).toBe(1234);
    expect(emf.LLMTokens).toBe(320);
    expect(emf.provider).toBe('mock');
  });
});
