import type { AwsProviders } from '../../providers/aws/types';
import type { Anomaly, AnomalySource, ServiceDefinition } from '../../providers/domain';
import { redactTextDeep, redactValueDeep } from '../../providers/redact';
import type { SourceError } from './contract';
import { detectLogGroupAnomalies } from './log-group-source';
import { detectMetricAnomalies } from './metric-source';
import { SEVERITY_RANK } from './severity';
import { detectUnifiedLogAnomalies } from './unified-log-source';
import { type DetectionWindow, errorText, type SourceResult } from './window';
import '../../providers/aws/clients/cloudwatch';
import '../../providers/aws/clients/logs';
import '../../providers/aws/clients/unified-logs';

export interface DetectionRun {
  anomalies: Anomaly[];
  source_errors: SourceError[];
  /** Unified-log error counts per service (also for services that did not fire): on-demand evidence. */
  unified_counts: Map<string, { window_errors: number; baseline_errors: number }>;
}

/**
 * Runs the three sources side by side. A source that fails (or throws unexpectedly) becomes a
 * SourceError; the others' anomalies are still returned. Anomalies come back in a stable order:
 * service, then most severe first, then signature.
 */
export async function runDetection(
  aws: Pick<AwsProviders, 'cloudwatch' | 'logs' | 'unifiedLogs'>,
  services: ServiceDefinition[],
  w: DetectionWindow,
): Promise<DetectionRun> {
  let unified_counts: DetectionRun['unified_counts'] = new Map();
  const guard = async (source: AnomalySource, run: () => Promise<SourceResult>): Promise<SourceResult> => {
    try {
      return await run();
    } catch (e) {
      return { anomalies: [], errors: [{ source, error: errorText(e) }] };
    }
  };
  const results = await Promise.all([
    guard('cloudwatch_metric', () => detectMetricAnomalies(aws.cloudwatch, services, w)),
    guard('rds_logs', async () => {
      const r = await detectUnifiedLogAnomalies(aws.unifiedLogs, services, w);
      unified_counts = r.counts;
      return r;
    }),
    guard('cloudwatch_logs', () => detectLogGroupAnomalies(aws.logs, services, w)),
  ]);
  // Redaction at the source: samples, templates and summaries quote log text, which may hold secrets.
  const anomalies = (await Promise.all(results.flatMap((r) => r.anomalies).map(redactAnomaly))).sort(
    compareAnomalies,
  );
  const source_errors = await redactValueDeep(results.flatMap((r) => r.errors));
  return { anomalies, source_errors, unified_counts };
}

export function compareAnomalies(a: Anomaly, b: Anomaly): number {
  if (a.service !== b.service) return a.service < b.service ? -1 : 1;
  const bySeverity = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (bySeverity) return bySeverity;
  return a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0;
}

/** The anomaly with every text that quotes log lines passed through the redactor (signature kept). */
async function redactAnomaly(a: Anomaly): Promise<Anomaly> {
  const summary = await redactTextDeep(a.summary);
  if (!a.logs) return { ...a, summary };
  const [template, samples] = await Promise.all([
    a.logs.template === undefined ? undefined : redactTextDeep(a.logs.template),
    redactValueDeep(a.logs.samples),
  ]);
  return { ...a, summary, logs: { ...a.logs, template, samples } };
}
