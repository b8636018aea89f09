/** Text helpers every surface shares: cutting at a word, sparklines, compact numbers. */

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` characters at a word boundary, ending with "…". Text that fits is
 * returned as is. A single over-long word is cut mid-word rather than dropped.
 */
export function truncateAtWord(text: string, max: number): string {
  if (max < 1) return '';
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  if (room <= 0) return ELLIPSIS.slice(0, max);
  const slice = text.slice(0, room + 1);
  const cut = slice.search(/\s\S*$/);
  const head = cut > room / 2 ? slice.slice(0, cut) : text.slice(0, room);
  return `${head.trimEnd()}${ELLIPSIS}`;
}

export function isTruncated(text: string): boolean {
  return text.endsWith(ELLIPSIS);
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line trend: the series averaged into at most `width` buckets, scaled min→max onto ▁…█. */
export function sparkline(series: readonly number[], width = 24): string {
  const values = series.filter((v) => Number.isFinite(v));
  if (values.length === 0) return '';
  const buckets: number[] = [];
  const n = Math.min(width, values.length);
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * values.length) / n);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / n));
    const part = values.slice(from, to);
    buckets.push(part.reduce((a, b) => a + b, 0) / part.length);
  }
  const min = Math.min(...buckets);
  const max = Math.max(...buckets);
  const span = max - min;
  return buckets
    .map(
      (v) => BARS[span === 0 ? 0 : Math.min(BARS.length - 1, Math.floor(((v - min) / span) * BARS.length))],
    )
    .join('');
}

/** 1234.5 → "1,234.5"; keeps up to 2 decimals and drops trailing zeros. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) < 10 ? 2 : 1 });
}

/** 0.723 → "72%". */
export function percent(v: number): string {
  return `${Math.round(v * 100)}%`;
}

/** ISO time → "2026-11-26 07:15 UTC" (chat readers compare times across zones). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
