/** Pure helpers shared by the CloudWatch mock: statistic per period and a deterministic anomaly band. */

/** Value of a CloudWatch statistic over the samples of one period (Average, Sum, Minimum, Maximum, SampleCount, pNN). */
export function statistic(stat: string, samples: number[]): number {
  if (samples.length === 0) throw new Error('statistic of no samples');
  switch (stat) {
    case 'Average':
      return samples.reduce((a, b) => a + b, 0) / samples.length;
    case 'Sum':
      return samples.reduce((a, b) => a + b, 0);
    case 'Minimum':
      return Math.min(...samples);
    case 'Maximum':
      return Math.max(...samples);
    case 'SampleCount':
      return samples.length;
  }
  const p = /^p(\d{1,2}(?:\.\d+)?)$/.exec(stat);
  if (p) {
    // Nearest-rank percentile.
    const sorted = [...samples].sort((a, b) => a - b);
    const rank = Math.ceil((Number(p[1]) / 100) * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
  }
  throw new Error(`unsupported statistic "${stat}" (Average, Sum, Minimum, Maximum, SampleCount or pNN)`);
}

export function isSupportedStat(stat: string): boolean {
  return (
    ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'].includes(stat) || /^p\d{1,2}(\.\d+)?$/.test(stat)
  );
}

/** How many earlier periods the mock band learns from, and how many it needs before it narrows. */
export const BAND_HISTORY = 60;
export const BAND_MIN_HISTORY = 5;

/**
 * The mock's stand-in for CloudWatch's anomaly detection model: for each point, the mean of up to
 * BAND_HISTORY earlier values ± band_width × their standard deviation. The deviation has a floor
 * (10 % of |mean|, at least 0.5) so a flat series still has a band. With too little history the band
 * is wide (± band_width × max(|value|, 1)) so an untrained model never flags anything — like the real
 * detector, which returns no useful band while it trains.
 */
export function trailingBand(
  history: number[],
  values: number[],
  bandWidth: number,
): { lower: number[]; upper: number[] } {
  const all = [...history, ...values];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let i = history.length; i < all.length; i++) {
    const before = all.slice(Math.max(0, i - BAND_HISTORY), i);
    const v = all[i]!;
    if (before.length < BAND_MIN_HISTORY) {
      const spread = bandWidth * Math.max(Math.abs(v), 1);
      lower.push(v - spread);
      upper.push(v + spread);
      continue;
    }
    const mean = before.reduce((a, b) => a + b, 0) / before.length;
    const variance = before.reduce((a, b) => a + (b - mean) ** 2, 0) / before.length;
    const sd = Math.max(Math.sqrt(variance), 0.1 * Math.abs(mean), 0.5);
    lower.push(mean - bandWidth * sd);
    upper.push(mean + bandWidth * sd);
  }
  return { lower, upper };
}
