import type { UnifiedLogProvider, UnifiedLogRow } from '../../providers/aws/types';
import type { Anomaly, ServiceDefinition } from '../../providers/domain';
import type { SourceError } from './contract';
import { errorRatio, errorRatioSeverity, MIN_ERROR_RATIO } from './severity';
import { anomalySignature } from './signature';
import { pickSamples, templateCounts } from './templates';
import {
  bucketCounts,
  clip,
  type DetectionWindow,
  errorText,
  fmt,
  mapLimit,
  type SourceResult,
} from './window';

/** Rows read per anomalous service for templates, samples and the sparkline. */
const SAMPLE_ROWS = 500;

/**
 * Unified logs in RDS: one indexed query counts ERROR/FATAL rows per service in the window and in the
 * baseline; a service fires when it has at least `min_errors` and at least MIN_ERROR_RATIO times what
 * its baseline predicts. Only then are its recent rows read, for the dominant template and samples.
 */
export async function detectUnifiedLogAnomalies(
  logs: UnifiedLogProvider,
  services: ServiceDefinition[],
  w: DetectionWindow,
): Promise<SourceResult & { counts: Map<string, { window_errors: number; baseline_errors: number }> }> {
  const counts = new Map<string, { window_errors: number; baseline_errors: number }>();
  let rows: Awaited<ReturnType<UnifiedLogProvider['errorCounts']>>;
  try {
    rows = await logs.errorCounts({
      window_start: w.window_start,
      baseline_start: w.baseline_start,
      end: w.now,
    });
  } catch (e) {
    return {
      anomalies: [],
      counts,
      errors: [{ source: 'rds_logs', target: 'error counts', error: errorText(e) }],
    };
  }
  for (const r of rows)
    counts.set(r.service_name, { window_errors: r.window_errors, baseline_errors: r.baseline_errors });

  const firing = services.flatMap((service) => {
    const c = counts.get(service.name);
    if (!c || c.window_errors < service.min_errors) return [];
    const { expected, ratio } = errorRatio(
      c.window_errors,
      c.baseline_errors,
      w.window_minutes,
      w.baseline_minutes,
    );
    return ratio >= MIN_ERROR_RATIO ? [{ service, count: c.window_errors, expected, ratio }] : [];
  });

  const errors: SourceError[] = [];
  const anomalies = await mapLimit(firing, 3, async (f) => {
    let recent: UnifiedLogRow[] = [];
    try {
      recent = await logs.recentLogs({
        service_name: f.service.name,
        levels: ['ERROR', 'FATAL'],
        since: w.window_start,
        limit: SAMPLE_ROWS,
      });
    } catch (e) {
      // The counts alone still make the anomaly; it just lacks a template and samples.
      errors.push({
        source: 'rds_logs',
        service: f.service.name,
        target: 'recent rows',
        error: errorText(e),
      });
    }
    const end = w.now.getTime();
    const inWindow = recent.filter((r) => {
      const t = Date.parse(r.timestamp);
      return t >= w.window_start.getTime() && t < end;
    });
    return unifiedLogAnomaly(f.service.name, f.count, f.expected, f.ratio, inWindow, w);
  });
  return { anomalies, errors, counts };
}

function unifiedLogAnomaly(
  service: string,
  count: number,
  expected: number,
  ratio: number,
  rows: UnifiedLogRow[],
  w: DetectionWindow,
): Anomaly {
  const groups = templateCounts(rows.map((r) => r.message));
  const template = groups[0]?.template;
  const fatal = rows.filter((r) => r.log_level === 'FATAL').length;
  const kind = 'error_rate_spike';
  return {
    signature: anomalySignature({ service, source: 'rds_logs', kind, template }),
    service,
    source: 'rds_logs',
    kind,
    severity: errorRatioSeverity(ratio),
    detected_at: w.now.toISOString(),
    summary: clip(
      `${count} ERROR/FATAL log rows in ${w.window_minutes} min${fatal ? ` (${fatal} FATAL)` : ''}, ` +
        `baseline predicts ${fmt(expected)} (${fmt(ratio)}×)${template ? `; mostly "${template}"` : ''}`,
      500,
    ),
    logs: {
      error_count: count,
      baseline_count: Math.round(expected * 100) / 100,
      window_minutes: w.window_minutes,
      template,
      samples: pickSamples(groups),
      series: bucketCounts(
        rows.map((r) => Date.parse(r.timestamp)),
        w,
      ),
    },
  };
}
