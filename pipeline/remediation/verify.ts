import type { Anomaly, Incident, VerificationResult } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { withRetry } from './retry';
import '../../providers/aws/clients/cloudwatch';
import '../../providers/aws/clients/logs';
import '../../providers/aws/clients/unified-logs';

interface SignalCheck {
  recovered: boolean;
  detail: string;
}

const MIN_PERIODS = 3;

/** Is the metric back inside its band? Looks at the newest datapoint of a short recent window. */
async function checkMetric(rt: Runtime, a: Anomaly): Promise<SignalCheck> {
  const m = a.metric;
  if (!m) return { recovered: false, detail: `${a.kind}: no metric to re-check` };
  const end = rt.now();
  const svc = rt.services.find((s) => s.name === a.service);
  const def = svc?.metrics.find((x) => x.namespace === m.namespace && x.metric_name === m.metric_name);
  const periods = Math.max(MIN_PERIODS, def?.periods ?? MIN_PERIODS);
  const start = new Date(end.getTime() - periods * m.period_seconds * 1000);
  const s = await withRetry(`CloudWatch ${m.namespace}/${m.metric_name}`, () =>
    rt.aws.cloudwatch.getMetricWithBand({
      namespace: m.namespace,
      metric_name: m.metric_name,
      dimensions: m.dimensions,
      stat: m.stat,
      period_seconds: m.period_seconds,
      start,
      end,
      band_width: def?.band_width ?? 2,
    }),
  );
  const i = s.values.length - 1;
  if (i < 0) return { recovered: false, detail: `${m.metric_name}: no datapoints since the remediation` };
  const v = s.values[i]!;
  const lower = s.lower[i] ?? m.band.lower;
  const upper = s.upper[i] ?? m.band.upper;
  const ok = m.direction === 'above' ? v <= upper : v >= lower;
  return {
    recovered: ok,
    detail: `${m.metric_name} ${m.stat} = ${round(v)} (band ${round(lower)}–${round(upper)}): ${ok ? 'back in band' : `still ${m.direction}`}`,
  };
}

/** Are the errors back near their baseline? Counts the same signal over the detection window. */
async function checkLogs(rt: Runtime, a: Anomaly): Promise<SignalCheck> {
  const l = a.logs;
  if (!l) return { recovered: false, detail: `${a.kind}: no log signal to re-check` };
  const end = rt.now();
  const window = rt.config.DETECTION_WINDOW_MINUTES;
  const start = new Date(end.getTime() - window * 60_000);
  const svc = rt.services.find((s) => s.name === a.service);
  const minErrors = svc?.min_errors ?? 5;
  // The baseline scaled to the window, but at least the count that would have raised the anomaly.
  const baseline = (l.baseline_count * window) / Math.max(1, l.window_minutes);
  const threshold = Math.max(minErrors, Math.ceil(baseline * 2));
  let count: number;
  if (a.source === 'rds_logs') {
    const rows = await withRetry('RDS unified-log error counts', () =>
      rt.aws.unifiedLogs.errorCounts({
        window_start: start,
        baseline_start: new Date(start.getTime() - rt.config.BASELINE_WINDOW_MINUTES * 60_000),
        end,
      }),
    );
    count = rows.find((r) => r.service_name === a.service)?.window_errors ?? 0;
  } else {
    if (!l.log_group) return { recovered: false, detail: `${a.kind}: no log group to re-check` };
    const group = l.log_group;
    const events = await withRetry(`CloudWatch Logs ${group}`, () =>
      rt.aws.logs.filterEvents({
        log_group: group,
        filter_pattern: l.filter_pattern ?? 'ERROR',
        start,
        end,
        limit: 1000,
      }),
    );
    count = events.length;
  }
  const ok = count < threshold;
  return {
    recovered: ok,
    detail: `${count} errors in the last ${window} min (recovered below ${threshold}): ${ok ? 'recovered' : 'still failing'}`,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Re-queries every anomaly of the incident; resolved only when each signal recovered. */
export async function verifySignal(rt: Runtime, incident: Incident): Promise<VerificationResult> {
  const checks: SignalCheck[] = [];
  for (const a of incident.anomalies) {
    try {
      if (a.source === 'cloudwatch_metric') checks.push(await checkMetric(rt, a));
      else checks.push(await checkLogs(rt, a));
    } catch (e) {
      checks.push({ recovered: false, detail: `${a.kind}: could not re-check (${(e as Error).message})` });
    }
  }
  return {
    incident_id: incident.incident_id,
    resolved: checks.length > 0 && checks.every((c) => c.recovered),
    checked_at: rt.now().toISOString(),
    detail: checks
      .map((c) => c.detail)
      .join('; ')
      .slice(0, 2000),
  };
}
