import type { Anomaly } from '../../providers/domain';
import type { SourceError } from './contract';

/** The time ranges one run looks at: the detection window and the baseline just before it. */
export interface DetectionWindow {
  now: Date;
  /** Start of [window_start, now). */
  window_start: Date;
  /** Start of [baseline_start, window_start). */
  baseline_start: Date;
  window_minutes: number;
  baseline_minutes: number;
}

export function detectionWindow(now: Date, windowMinutes: number, baselineMinutes: number): DetectionWindow {
  const window_start = new Date(now.getTime() - windowMinutes * 60_000);
  return {
    now,
    window_start,
    baseline_start: new Date(window_start.getTime() - baselineMinutes * 60_000),
    window_minutes: windowMinutes,
    baseline_minutes: baselineMinutes,
  };
}

/** What each source returns: what it found, and what it could not read (never thrown). */
export interface SourceResult {
  anomalies: Anomaly[];
  errors: SourceError[];
}

export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.length > 1000 ? `${msg.slice(0, 999)}…` : msg;
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Counts per time bucket across the window, oldest first, for the card's sparkline: one bucket per
 * minute, widened so there are never more than 120.
 */
export function bucketCounts(timestampsMs: number[], w: DetectionWindow): number[] {
  const minutesPerBucket = Math.max(1, Math.ceil(w.window_minutes / 120));
  const buckets = Math.ceil(w.window_minutes / minutesPerBucket);
  const start = w.window_start.getTime();
  const size = minutesPerBucket * 60_000;
  const out = new Array<number>(buckets).fill(0);
  for (const t of timestampsMs) {
    const i = Math.floor((t - start) / size);
    if (i >= 0 && i < buckets) out[i]!++;
  }
  return out;
}

/** Number formatting for summaries: short, no float noise. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1e6 || (a > 0 && a < 0.01)) return n.toExponential(2);
  return String(Math.round(n * 100) / 100);
}

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
