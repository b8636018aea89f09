// agent/metrics, not the agent index: the detect/verify/remediate bundles must not pull in LangChain.
import { type CountMetrics, defaultMetrics } from '../agent/metrics';
import type { IncidentState } from '../providers/domain';
import { serviceLogger } from '../providers/logging';
import type { Runtime } from '../providers/runtime';
import type { DetectOutput } from './detection/contract';

/**
 * The pipeline's custom metrics (namespace config METRICS_NAMESPACE), the names infra's dashboard
 * reads (infra/metrics.ts PIPELINE_METRICS). Same hook as the agent's LLM metrics: Powertools EMF in
 * Lambda, an in-memory recorder elsewhere (tests, CLI, local workspace), so no EMF noise off Lambda.
 */
export const PIPELINE_METRIC = {
  anomaliesDetected: 'AnomaliesDetected',
  incidentsOpened: 'IncidentsOpened',
  incidentsRouted: 'IncidentsRouted',
  autoRemediationSucceeded: 'AutoRemediationSucceeded',
  autoRemediationFailed: 'AutoRemediationFailed',
} as const;

const logger = serviceLogger('bdp-metrics');

let sink: CountMetrics | undefined;

/** For tests and the local workspace: where the pipeline's counts go (undefined: back to the default). */
export function setPipelineMetrics(metrics: CountMetrics | undefined): void {
  sink = metrics;
}

/** Adds a Count data point. A metric never breaks a step: a failure to emit is logged and dropped. */
export function recordCount(
  rt: Pick<Runtime, 'config'>,
  name: string,
  value: number,
  dimensions?: Record<string, string>,
): void {
  try {
    sink ??= defaultMetrics(rt.config.METRICS_NAMESPACE);
    sink.count(name, value, dimensions);
  } catch (e) {
    logger.warn('metric not emitted', { metric: name, error: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * One detection run: the anomalies in the new incidents (after de-duplication; an on-demand request's
 * "nothing wrong" placeholder is not an anomaly) and the incidents opened. Zeros are emitted too, so
 * the dashboard shows quiet runs rather than gaps.
 */
export function recordDetection(rt: Pick<Runtime, 'config'>, out: DetectOutput): void {
  const anomalies = out.incidents.flatMap((i) => i.anomalies).filter((a) => a.kind !== 'on_demand');
  recordCount(rt, PIPELINE_METRIC.anomaliesDetected, anomalies.length);
  recordCount(rt, PIPELINE_METRIC.incidentsOpened, out.incidents.length);
}

/**
 * Counts an automatic remediation's outcome: only on the auto route (no person approved it), so the
 * dashboard's success rate is the agent's own.
 */
export function recordAutoRemediation(
  rt: Pick<Runtime, 'config'>,
  state: IncidentState,
  succeeded: boolean,
): void {
  if (state.analysis?.route !== 'auto' || state.approval) return;
  recordCount(
    rt,
    succeeded ? PIPELINE_METRIC.autoRemediationSucceeded : PIPELINE_METRIC.autoRemediationFailed,
    1,
  );
}
