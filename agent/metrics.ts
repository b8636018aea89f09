import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LlmUsage } from '../providers/domain';

/** Where the agent reports each LLM call. Infra alarms on LLMLatency (ms) and LLMTokens. */
export interface AgentMetrics {
  llmCall(usage: LlmUsage): void;
  /** Emits what was collected (EMF on stdout in Lambda). */
  flush(): void;
}

export const METRIC_LLM_LATENCY = 'LLMLatency';
export const METRIC_LLM_TOKENS = 'LLMTokens';

/** Keeps the calls in memory: for tests, the CLI and the local workspace. */
export class RecordingMetrics implements AgentMetrics {
  readonly calls: LlmUsage[] = [];
  llmCall(usage: LlmUsage): void {
    this.calls.push(usage);
  }
  flush(): void {}
}

/** CloudWatch metrics via Powertools EMF, namespace METRICS_NAMESPACE, dimension provider. */
export class PowertoolsMetrics implements AgentMetrics {
  private readonly metrics: Metrics;
  constructor(namespace: string, provider: string) {
    this.metrics = new Metrics({ namespace, serviceName: 'bdp-agent', defaultDimensions: { provider } });
  }
  llmCall(usage: LlmUsage): void {
    this.metrics.addMetric(METRIC_LLM_LATENCY, MetricUnit.Milliseconds, usage.latency_ms);
    this.metrics.addMetric(
      METRIC_LLM_TOKENS,
      MetricUnit.Count,
      usage.prompt_tokens + usage.completion_tokens,
    );
  }
  flush(): void {
    this.metrics.publishStoredMetrics();
  }
}

/** In Lambda, EMF metrics; elsewhere a recorder (so the CLI's --json output stays clean). */
export function defaultMetrics(namespace: string, provider: string): AgentMetrics {
  return process.env.AWS_LAMBDA_FUNCTION_NAME
    ? new PowertoolsMetrics(namespace, provider)
    : new RecordingMetrics();
}
