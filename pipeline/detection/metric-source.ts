import type { BandedSeries, CloudWatchProvider } from '../../providers/aws/types';
import type { Anomaly, ServiceDefinition } from '../../providers/domain';
import type { SourceError } from './contract';
import { bandDistance, bandSeverity } from './severity';
import { anomalySignature } from './signature';
import { clip, type DetectionWindow, errorText, fmt, mapLimit, type SourceResult } from './window';

type MetricSpec = ServiceDefinition['metrics'][number];

const MAX_SERIES = 120;
/** Parallel GetMetricData calls per run: enough to finish quickly, few enough not to be throttled. */
const CONCURRENCY = 4;

/**
 * CloudWatch metrics against their anomaly-detection bands. A metric is anomalous when each of its last
 * `periods` datapoints lies outside the band on the same side and the newest one is recent (a metric
 * that stopped reporting does not stay "anomalous" on old data).
 */
export async function detectMetricAnomalies(
  cw: CloudWatchProvider,
  services: ServiceDefinition[],
  w: DetectionWindow,
): Promise<SourceResult> {
  const jobs = services.flatMap((service) => service.metrics.map((metric) => ({ service, metric })));
  const results = await mapLimit(jobs, CONCURRENCY, async ({ service, metric }) => {
    try {
      const series = await cw.getMetricWithBand({
        namespace: metric.namespace,
        metric_name: metric.metric_name,
        dimensions: metric.dimensions,
        stat: metric.stat,
        period_seconds: metric.period_seconds,
        band_width: metric.band_width,
        start: new Date(w.now.getTime() - lookbackPeriods(metric, w) * metric.period_seconds * 1000),
        end: w.now,
      });
      return { anomaly: evaluateBand(service.name, metric, series, w) };
    } catch (e) {
      const error: SourceError = {
        source: 'cloudwatch_metric',
        service: service.name,
        target: `${metric.namespace}/${metric.metric_name}`,
        error: errorText(e),
      };
      return { error };
    }
  });
  return {
    anomalies: results.flatMap((r) => (r.anomaly ? [r.anomaly] : [])),
    errors: results.flatMap((r) => (r.error ? [r.error] : [])),
  };
}

/** Enough history for the sparkline and the breach check, at most 120 periods. */
function lookbackPeriods(metric: MetricSpec, w: DetectionWindow): number {
  const windowPeriods = Math.ceil((w.window_minutes * 60) / metric.period_seconds);
  return Math.min(MAX_SERIES, Math.max(30, metric.periods * 4, windowPeriods));
}

/** Decides on one banded series; exported for tests of the rule itself. */
export function evaluateBand(
  service: string,
  metric: MetricSpec,
  s: BandedSeries,
  w: DetectionWindow,
): Anomaly | undefined {
  const points: { t: number; v: number; lo: number; hi: number }[] = [];
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i];
    const lo = s.lower[i];
    const hi = s.upper[i];
    const t = Date.parse(s.timestamps[i] ?? '');
    // Points without a band (model still training) or with a broken value cannot breach it.
    if (![v, lo, hi, t].every((x) => typeof x === 'number' && Number.isFinite(x))) continue;
    if (t > w.now.getTime()) continue;
    points.push({ t, v: v!, lo: Math.min(lo!, hi!), hi: Math.max(lo!, hi!) });
  }
  points.sort((a, b) => a.t - b.t);
  const n = metric.periods;
  if (points.length < n) return undefined;
  const last = points.slice(-n);
  const newest = last[last.length - 1]!;
  const freshSince = w.now.getTime() - Math.max(w.window_minutes * 60_000, 2 * metric.period_seconds * 1000);
  if (newest.t < freshSince) return undefined;

  const above = last.every((p) => p.v > p.hi);
  const below = last.every((p) => p.v < p.lo);
  if (!above && !below) return undefined;
  const direction = above ? 'above' : 'below';
  const distance = last.reduce((sum, p) => sum + bandDistance(p.v, p.lo, p.hi), 0) / n;
  const kind = above ? 'metric_above_band' : 'metric_below_band';
  const stat = metric.stat;

  return {
    signature: anomalySignature({
      service,
      source: 'cloudwatch_metric',
      kind,
      namespace: metric.namespace,
      metric_name: metric.metric_name,
      dimensions: metric.dimensions,
      stat,
    }),
    service,
    source: 'cloudwatch_metric',
    kind,
    severity: bandSeverity(distance),
    detected_at: w.now.toISOString(),
    summary: clip(
      `${metric.metric_name} (${stat}) ${direction} its anomaly band for ${n} periods: ${fmt(newest.v)} vs ` +
        `${fmt(newest.lo)}–${fmt(newest.hi)} (${fmt(distance)} band widths out)`,
      500,
    ),
    metric: {
      namespace: metric.namespace,
      metric_name: metric.metric_name,
      dimensions: metric.dimensions,
      stat,
      period_seconds: metric.period_seconds,
      value: newest.v,
      band: { lower: newest.lo, upper: newest.hi },
      direction,
      series: points.slice(-MAX_SERIES).map((p) => p.v),
    },
  };
}
