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
