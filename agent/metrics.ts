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

/** One Count data point with its own dimensions (the pipeline's AnomaliesDetected, IncidentsRouted, …). */
export interface CountRecord {
  name: string;
  value: number;
  dimensions: Record<string, string>;
}

/** Where other modules (the pipeline) report counts; each is emitted at once, no flush needed. */
export interface CountMetrics {
  count(name: string, value: number, dimensions?: Record<string, string>): void;
}

/** The recorder keeps only the latest counts, so a long local workspace run stays bounded. */
const MAX_RECORDED_COUNTS = 1000;

/** Keeps the calls in memory: for tests, the CLI and the local workspace. */
export class RecordingMetrics implements AgentMetrics, CountMetrics {
  readonly calls: LlmUsage[] = [];
  readonly counts: CountRecord[] = [];
  llmCall(usage: LlmUsage): void {
    this.calls.push(usage);
  }
  count(name: string, value: number, dimensions: Record<string, string> = {}): void {
    this.counts.push({ name, value, dimensions: { ...dimensions } });
    if (this.counts.length > MAX_RECORDED_COUNTS) this.counts.shift();
  }
  flush(): void {}
}

/**
 * CloudWatch metrics via Powertools EMF, namespace METRICS_NAMESPACE, dimension provider (when given:
 * the pipeline's counts have no LLM provider).
 */
export class PowertoolsMetrics implements AgentMetrics, CountMetrics {
  private readonly metrics: Metrics;
  constructor(namespace: string, provider?: string) {
    this.metrics = new Metrics({
      namespace,
      serviceName: 'bdp-agent',
      ...(provider ? { defaultDimensions: { provider } } : {}),
    });
  }
  /** A single-metric EMF line: its own dimensions (e.g. `route`), printed immediately. */
  count(name: string, value: number, dimensions: Record<string, string> = {}): void {
    const single = this.metrics.singleMetric();
    for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
    single.addMetric(name, MetricUnit.Count, value);
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
export function defaultMetrics(namespace: string, provider?: string): AgentMetrics & CountMetrics {
  return process.env.AWS_LAMBDA_FUNCTION_NAME
    ? new PowertoolsMetrics(namespace, provider)
    : new RecordingMetrics();
}
