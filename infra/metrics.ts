/**
 * The custom metrics the alarms and dashboard read (namespace: config METRICS_NAMESPACE). The agent
 * emits LLMLatency and LLMTokens (agent/metrics.ts, Powertools EMF, dimensions `service`, `provider`).
 * The pipeline metrics are the names the dashboard expects the pipeline to emit with Powertools
 * Metrics; the dashboard finds them with SEARCH, so any dimension set works.
 */
export const LLM_METRICS = {
  /** Milliseconds per LLM call (agent/metrics.ts METRIC_LLM_LATENCY). */
  latency: 'LLMLatency',
  /** Prompt + completion tokens per LLM call (agent/metrics.ts METRIC_LLM_TOKENS). */
  tokens: 'LLMTokens',
  /** The Powertools serviceName the agent's metrics carry as the `service` dimension. */
  service: 'bdp-agent',
} as const;

export const PIPELINE_METRICS = {
  /** Count, per detection run: anomalies found (after de-duplication). */
  anomaliesDetected: 'AnomaliesDetected',
  /** Count, dimension `route` = auto | approval | escalate: one per analysed incident. */
  incidentsRouted: 'IncidentsRouted',
  /** Count: an automatic remediation that ran and whose signal recovered at verification. */
  autoRemediationSucceeded: 'AutoRemediationSucceeded',
  /** Count: an automatic remediation that failed to run or whose signal did not recover. */
  autoRemediationFailed: 'AutoRemediationFailed',
  /** Count, per detection run: incidents opened. */
  incidentsOpened: 'IncidentsOpened',
  /** Seconds from approval request to decision. */
  timeToApprovalSeconds: 'TimeToApprovalSeconds',
  /** Seconds from detection to verified recovery. */
  timeToRecoverySeconds: 'TimeToRecoverySeconds',
  /** Count, dimension `surface`: notices a chat API refused after every retry. */
  chatDeliveryFailures: 'ChatDeliveryFailures',
} as const;

/** The LLM alarm fires when the mean call latency over 5 minutes passes this (ms). */
export const LLM_LATENCY_ALARM_MS = 10_000;
/** Lambda errors / invocations, percent. */
export const LAMBDA_ERROR_RATE_ALARM_PERCENT = 5;
/** Failed / started executions, percent. */
export const SFN_FAILED_RATE_ALARM_PERCENT = 10;
