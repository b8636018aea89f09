import type { Anomaly, Incident } from '../../providers/domain';
import { compareAnomalies } from './run';
import { maxSeverity } from './severity';
import { anomalySignature } from './signature';
import { clip, type DetectionWindow } from './window';

/** `inc-<yyyymmddhhmm>-<first 8 of signature>`: deterministic for a run's minute and problem. */
export function incidentId(now: Date, signature: string): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-T:]/g, '');
  return `inc-${stamp}-${signature.slice(0, 8)}`;
}

/**
 * One incident per service from that service's new anomalies. Its signature (and id) is the most severe
 * anomaly's; its title that anomaly's summary, plus how many more there are.
 */
export function groupIncidents(newAnomalies: Anomaly[], now: Date, trigger = 'schedule'): Incident[] {
  const byService = new Map<string, Anomaly[]>();
  for (const a of [...newAnomalies].sort(compareAnomalies)) {
    const list = byService.get(a.service) ?? [];
    list.push(a);
    byService.set(a.service, list);
  }
  return [...byService.entries()].map(([service, anomalies]) => {
    const lead = anomalies[0]!;
    const more = anomalies.length > 1 ? ` (+${anomalies.length - 1} more)` : '';
    return {
      incident_id: incidentId(now, lead.signature),
      signature: lead.signature,
      service,
      severity: maxSeverity(anomalies.map((a) => a.severity)),
      title: clip(`${service}: ${lead.summary}`, 300 - more.length) + more,
      anomalies,
      created_at: now.toISOString(),
      trigger,
    };
  });
}

/**
 * The anomaly behind an on-demand request that found nothing: it carries the service's unified-log
 * counts for the window, so the analysis starts from real numbers.
 */
export function onDemandAnomaly(
  service: string,
  requestedBy: string | undefined,
  counts: { window_errors: number; baseline_errors: number } | undefined,
  w: DetectionWindow,
  /** Checks that could not be read: "no anomaly" is then a weaker statement, and the summary says so. */
  failedChecks = 0,
): Anomaly {
  const window_errors = counts?.window_errors ?? 0;
  const expected =
    w.baseline_minutes > 0 ? ((counts?.baseline_errors ?? 0) * w.window_minutes) / w.baseline_minutes : 0;
  return {
    signature: anomalySignature({ service, source: 'on_demand', kind: 'on_demand' }),
    service,
    source: 'rds_logs',
    kind: 'on_demand',
    severity: 'low',
    detected_at: w.now.toISOString(),
    summary: clip(
      `Analysis requested${requestedBy ? ` by ${requestedBy}` : ''}: no anomaly detected in the last ` +
        `${w.window_minutes} min (${window_errors} ERROR/FATAL log rows)` +
        (failedChecks ? `; ${failedChecks} check${failedChecks > 1 ? 's' : ''} could not be read` : ''),
      500,
    ),
    logs: {
      error_count: window_errors,
      baseline_count: Math.round(expected * 100) / 100,
      window_minutes: w.window_minutes,
      samples: [],
      series: [],
    },
  };
}
