/** Severity words normalised across log formats, and their importance rank. */

const ALIASES: Record<string, string> = {
  WARNING: 'WARN',
  ERR: 'ERROR',
  SEVERE: 'ERROR',
  CRIT: 'CRITICAL',
  EMERG: 'EMERGENCY',
  PANIC: 'FATAL',
  INFORMATION: 'INFO',
  INFORMATIONAL: 'INFO',
  DBG: 'DEBUG',
};

const RANK: Record<string, number> = {
  EMERGENCY: 7,
  ALERT: 6,
  FATAL: 6,
  CRITICAL: 6,
  ERROR: 5,
  WARN: 4,
  NOTICE: 3,
  INFO: 2,
  DEBUG: 1,
  TRACE: 0,
};

/** Upper-cased, aliases folded (`warning` → `WARN`); empty becomes `UNKNOWN`. */
export function normalizeLevel(level: string): string {
  const up = level.trim().toUpperCase();
  if (up === '') return 'UNKNOWN';
  return ALIASES[up] ?? up;
}

/** Higher is more important; unknown words rank with INFO. */
export function severityRank(level: string): number {
  return RANK[normalizeLevel(level)] ?? 2;
}

/** A level word as a message writes it: `error:`, `[warn]`, `<E>`-free words of 3–11 letters. */
const WRITTEN = new Map<string, string>([
  ['TRACE', 'TRACE'],
  ['DEBUG', 'DEBUG'],
  ['INFO', 'INFO'],
  ['NOTICE', 'NOTICE'],
  ['WARN', 'WARN'],
  ['WARNING', 'WARN'],
  ['ERROR', 'ERROR'],
  ['ERR', 'ERROR'],
  ['SEVERE', 'ERROR'],
  ['CRIT', 'CRITICAL'],
  ['CRITICAL', 'CRITICAL'],
  ['FATAL', 'FATAL'],
  ['PANIC', 'FATAL'],
  ['ALERT', 'ALERT'],
  ['EMERG', 'EMERGENCY'],
]);

/** Word stems that mark a failed operation (→ ERROR) or a degraded one (→ WARN). */
const ERROR_STEMS =
  /^(?:error|errors|fail|failed|failing|failure|failures|fatal|exception|panic|denied|unable|cannot|crash\w*|abort\w*|killed|corrupt\w*|refused)$/;
const WARN_STEMS =
  /^(?:warn|warning|invalid|timeout|timed|retry|retrying|unreachable|deprecated|slow|break-in|lost|dropped|expired|mismatch)$/;

/**
 * Severity of a message whose header has none (syslog, plain text): a level written in the message
 * itself (`error: …`, `[WARN] …`, `level=warn`, `severity: error`) among its first tokens wins;
 * otherwise words of failure give ERROR, words of degradation WARN, anything else INFO.
 */
export function inferLevel(message: string): string {
  const words = message.split(/\s+/, 24);
  let found: string | undefined;
  let hint: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '') continue;
    const kv = /^(?:level|severity|lvl|loglevel)[=:]["']?([A-Za-z]+)/i.exec(w);
    const written = kv?.[1] ?? (i < 4 ? /^[[<(]?([A-Za-z]{3,9})[\]>)]?:?$/.exec(w)?.[1] : undefined);
    if (written && (kv || i === 0 || /[:\]>)]$/.test(w) || /^[[<(]/.test(w))) {
      found = WRITTEN.get(written.toUpperCase());
      if (found) return found;
    }
    const bare = w.toLowerCase().replace(/^[^a-z]+|[^a-z-]+$/g, '');
    if (hint !== 'ERROR' && ERROR_STEMS.test(bare)) hint = 'ERROR';
    else if (hint === undefined && WARN_STEMS.test(bare)) hint = 'WARN';
  }
  return hint ?? 'INFO';
}
