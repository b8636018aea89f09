import { CALENDAR_WORDS } from './mask';

/**
 * Generic split of a raw log line into header (timestamp, level, component, pid…) and message,
 * with no per-format configuration. It recognises the shapes common to syslog, log4j, Apache,
 * pipe-separated and similar formats by token kind, not by format:
 *  - a header starts with a timestamp-like token (digits with date/time punctuation, a month or
 *    weekday name) within the first three tokens;
 *  - with a severity word (INFO, [error], WARN …) before any `name:` token, the header ends after
 *    it, plus one following component (`pkg.Class:` or a fully bracketed `[…]`) and a `-` separator;
 *  - otherwise it ends at the first token ending in `:` (`sshd[24200]:`) within the first eight;
 *  - `time|component|pid|message` lines end their header at the last `|` of the first token.
 * A line with no recognisable header is all message. Scans char codes: it runs once per line.
 */

export interface SplitLine {
  /** Index in the line where the message starts (0 when no header was recognised). */
  messageStart: number;
  /** Severity word found in the header, upper-cased and normalised (`WARNING` → `WARN`), if any. */
  level?: string;
}

const LEVELS = new Map<string, string>([
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
  ['ALERT', 'ALERT'],
  ['EMERG', 'EMERGENCY'],
  ['EMERGENCY', 'EMERGENCY'],
]);

const MAX_TOKENS = 12;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}
function isOpen(c: number): boolean {
  return c === 91 || c === 40 || c === 60; // [ ( <
}
function isClose(c: number): boolean {
  return c === 93 || c === 41 || c === 62 || c === 44; // ] ) > ,
}

/** Digits with date/time punctuation only (`2015-07-29`, `17:41:44,747`, `081109`), or a calendar word. */
function isTimeLike(s: string, start: number, end: number): boolean {
  let a = start;
  let b = end;
  while (a < b && isOpen(s.charCodeAt(a))) a++;
  while (b > a && isClose(s.charCodeAt(b - 1))) b--;
  if (a >= b) return false;
  if (b - a === 3 && CALENDAR_WORDS.has(s.slice(a, b))) return true;
  let digits = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    // - / : . , T Z +
    else if (
      !(c === 45 || c === 47 || c === 58 || c === 46 || c === 44 || c === 84 || c === 90 || c === 43)
    ) {
      return false;
    }
  }
  return digits > 0;
}

function levelOf(s: string, start: number, end: number): string | undefined {
  let a = start;
  let b = end;
  while (a < b && isOpen(s.charCodeAt(a))) a++;
  while (b > a && isClose(s.charCodeAt(b - 1))) b--;
  if (b - a < 3 || b - a > 9) return undefined;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i) | 32; // ASCII lower-case
    if (c < 97 || c > 122) return undefined;
  }
  return LEVELS.get(s.slice(a, b).toUpperCase());
}

function endsWithColon(s: string, start: number, end: number): boolean {
  return end - start > 1 && s.charCodeAt(end - 1) === 58;
}

function isBracketed(s: string, start: number, end: number): boolean {
  return end - start > 2 && s.charCodeAt(start) === 91 && s.charCodeAt(end - 1) === 93;
}

let lastLevel: string | undefined;

/** Index of the next non-space character at or after `from` (the line's length if none). */
function skipSpace(line: string, from: number): number {
  let p = from;
  while (p < line.length && isSpace(line.charCodeAt(p))) p++;
  return p;
}

/**
 * Hot-path form of `splitHeader`: returns where the message starts and leaves the severity in
 * `lastLevel`. Tokens are scanned lazily, only as far as the decision needs; a severity or
 * `name:` token counts only when a message follows it.
 */
function scan(line: string): number {
  lastLevel = undefined;
  const n = line.length;
  let a = skipSpace(line, 0);
  if (a >= n) return 0;
  let b = a;
  while (b < n && !isSpace(line.charCodeAt(b))) b++;
  // time|component|pid|message
  const pipe = line.indexOf('|', a);
  if (pipe > 0 && pipe < b && isTimeLike(line, a, pipe)) {
    const last = line.lastIndexOf('|', b - 1);
    let f = a;
    while (f < last) {
      const fe = line.indexOf('|', f);
      lastLevel ??= levelOf(line, f, fe);
      f = fe + 1;
    }
    return last + 1;
  }
  let timeAt = -1;
  let levelAt = -1;
  for (let t = 0; t < MAX_TOKENS; t++) {
    const next = skipSpace(line, b); // start of token t+1 (n when t is the last token)
    if (levelAt >= 0) {
      // After the severity: one component and one `-` separator may follow, if a message follows.
      const component = t === levelAt + 1 && (endsWithColon(line, a, b) || isBracketed(line, a, b));
      const dash = t <= levelAt + 2 && b - a === 1 && line.charCodeAt(a) === 45;
      if (next >= n || !(component || dash)) return a;
    } else if (timeAt < 0) {
      if (t >= 3) return 0;
      if (isTimeLike(line, a, b)) timeAt = t;
    } else {
      if (t >= 10 || next >= n) return 0;
      const level = levelOf(line, a, b);
      if (level) {
        lastLevel = level;
        levelAt = t;
      } else if (endsWithColon(line, a, b) && !isTimeLike(line, a, b)) {
        return t < 8 ? next : 0;
      }
    }
    if (next >= n) break;
    a = next;
    b = a;
    while (b < n && !isSpace(line.charCodeAt(b))) b++;
  }
  return levelAt >= 0 ? a : 0;
}

/** Index where the message of a raw line starts (0 when no header was recognised). */
export function messageStart(line: string): number {
  return scan(line);
}

/** Splits a raw log line into its message start and the severity found in the header. */
export function splitHeader(line: string): SplitLine {
  const messageStart = scan(line);
  return lastLevel === undefined ? { messageStart } : { messageStart, level: lastLevel };
}
