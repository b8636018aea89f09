import type { Severity } from '../../providers/domain';

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * Metric severity from how far the value sits outside its anomaly band, measured in band widths
 * (upper − lower) beyond the nearer edge, averaged over the periods that breached:
 *   < 0.5 → low, < 1.5 → medium, < 3 → high, ≥ 3 → critical.
 * A zero-width band (flat history) uses 10 % of the edge's magnitude (at least 1e-9) as its width, so a
 * flat metric that moves is still graded rather than always "critical".
 */
export function bandSeverity(bandWidths: number): Severity {
  if (!(bandWidths >= 0.5)) return 'low';
  if (bandWidths < 1.5) return 'medium';
  if (bandWidths < 3) return 'high';
  return 'critical';
}

/** Distance of `value` outside [lower, upper] in band widths (0 inside the band). */
export function bandDistance(value: number, lower: number, upper: number): number {
  const edge = value > upper ? upper : value < lower ? lower : undefined;
  if (edge === undefined) return 0;
  const width = upper - lower > 0 ? upper - lower : Math.max(Math.abs(edge) * 0.1, 1e-9);
  return Math.abs(value - edge) / width;
}

/**
 * Log severity from the error ratio: errors in the window over the errors the baseline predicts for a
 * window of that length (a baseline under one error counts as one):
 *   < 3 → low, < 5 → medium, < 10 → high, ≥ 10 → critical.
 */
export function errorRatioSeverity(ratio: number): Severity {
  if (!(ratio >= 3)) return 'low';
  if (ratio < 5) return 'medium';
  if (ratio < 10) return 'high';
  return 'critical';
}

/** Errors the baseline predicts for the window, and the window's ratio to it. */
export function errorRatio(
  windowErrors: number,
  baselineErrors: number,
  windowMinutes: number,
  baselineMinutes: number,
): { expected: number; ratio: number } {
  const expected = baselineMinutes > 0 ? (baselineErrors * windowMinutes) / baselineMinutes : 0;
  return { expected, ratio: windowErrors / Math.max(expected, 1) };
}

/** A log anomaly fires when the window has at least `minErrors` and at least this many times the baseline. */
export const MIN_ERROR_RATIO = 2;

export function maxSeverity(list: Severity[]): Severity {
  return list.reduce<Severity>((a, b) => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a), 'low');
}
