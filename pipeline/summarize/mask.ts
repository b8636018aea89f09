/**
 * Generic masking of the variable parts of a log message, with no per-format settings.
 *
 * A message is split on whitespace; each token is masked when it is (or contains) a value that
 * varies between occurrences of one event: anything with a digit (numbers, hex, IPs, UUIDs,
 * timestamps, ids), paths and URLs, month/weekday names (timestamp parts), and the value side of
 * `key=value`. Punctuation that wraps a token (`[`, `(`, `,` …) is kept so templates stay readable.
 * Written as a hand scanner over char codes: it runs once per log line on the hot path.
 */

export const WILDCARD = '<*>';

/** Month and weekday abbreviations: variable parts of a timestamp (masking) or of a header (splitting). */
export const CALENDAR_WORDS = new Set([
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
  'Mon',
  'Tue',
  'Wed',
  'Thu',
  'Fri',
  'Sat',
  'Sun',
]);

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

// Wrapping punctuation kept outside a masked core: ( [ { < " '  and  ) ] } > " ' , ; : . ! ?
function isOpener(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 60 || c === 34 || c === 39;
}
function isCloser(c: number): boolean {
  return (
    c === 41 ||
    c === 93 ||
    c === 125 ||
    c === 62 ||
    c === 34 ||
    c === 39 ||
    c === 44 ||
    c === 59 ||
    c === 58 ||
    c === 46 ||
    c === 33 ||
    c === 63
  );
}

/** True when the core s[start,end) is a variable: contains a digit, is a path/URL, or a calendar word. */
function isVariableCore(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  const first = s.charCodeAt(start);
  // Absolute or home-relative path; URL (scheme://); Windows path.
  if ((first === 47 || first === 126) && end - start > 1) return true;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
    if (c === 92) return true; // backslash: Windows path
    if (c === 58 && i + 2 < end && s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 47) return true;
  }
  if (end - start === 3 && CALENDAR_WORDS.has(s.slice(start, end))) return true;
  return false;
}

/** Masks one token s[start,end). Returns the token unchanged (as a slice) when nothing varies. */
export function maskTokenRange(s: string, start: number, end: number): string {
  // key=value → key=<*> (the key stays: it names the variable). Empty values stay empty.
  for (let i = start + 1; i < end - 1; i++) {
    if (s.charCodeAt(i) === 61) {
      const keyCore = s.slice(start, i + 1);
      // Keep a closing bracket after the value, e.g. "[myid=1]" → "[myid=<*>]".
      let ve = end;
      while (ve > i + 1 && isCloser(s.charCodeAt(ve - 1))) ve--;
      return ve > i + 1 ? `${keyCore}${WILDCARD}${s.slice(ve, end)}` : s.slice(start, end);
    }
  }
  let a = start;
  let b = end;
  while (a < b && isOpener(s.charCodeAt(a))) a++;
  while (b > a && isCloser(s.charCodeAt(b - 1))) b--;
  if (!isVariableCore(s, a, b)) return s.slice(start, end);
  if (a === start && b === end) return WILDCARD;
  return `${s.slice(start, a)}${WILDCARD}${s.slice(b, end)}`;
}

/** Masks one whitespace-free token. */
export function maskToken(token: string): string {
  return maskTokenRange(token, 0, token.length);
}

/** Splits a message on whitespace and masks each token. */
export function maskedTokens(message: string): string[] {
  const masked = maskRange(message, 0);
  return masked === '' ? [] : masked.split(' ');
}

/**
 * Masks `line` from index `from` on, collapsing whitespace to single spaces. Unchanged stretches
 * are copied as one slice, so a line with two variables costs about five string pieces.
 */
export function maskRange(line: string, from: number): string {
  walk(line, from, BUILD);
  return out;
}

/**
 * A 53-bit hash of `maskRange(line, from)` computed without building the string (two 32-bit
 * FNV-style hashes). The miner's exact-repeat cache is keyed by it and confirmed with `maskEquals`.
 */
export function maskHash(line: string, from: number): number {
  hA = 0x811c9dc5;
  hB = 0x9747b28c;
  walk(line, from, HASH);
  hashChar(0);
  return (hA >>> 0) * 2097152 + (hB >>> 11);
}

/** Whether `maskRange(line, from) === masked`, without building the string. */
export function maskEquals(line: string, from: number, masked: string): boolean {
  target = masked;
  pos = 0;
  same = true;
  walk(line, from, COMPARE);
  return same && pos === masked.length;
}

/**
 * 30-bit form of `maskHash` (a small integer, which V8 keeps unboxed: cheaper as a Map key than a
 * 53-bit double). Collisions are expected now and then; callers confirm with `maskEquals`.
 */
export function maskHashSmall(line: string, from: number): number {
  hA = 0x811c9dc5;
  hB = 0x9747b28c;
  walk(line, from, HASH);
  return (hA ^ (hB >>> 7)) & 0x3fffffff;
}

/** The second 32-bit half of the last `maskHashSmall` walk (lets the cache tell apart colliding keys). */
export function lastHashCheck(): number {
  return hB | 0;
}

const BUILD = 0;
const HASH = 1;
const COMPARE = 2;
// Walk state (module-level: the walk is synchronous and this avoids per-line allocation).
let out = '';
let hA = 0;
let hB = 0;
let target = '';
let pos = 0;
let same = true;

function hashChar(c: number): void {
  hA = Math.imul(hA ^ c, 16777619);
  hB = Math.imul(hB + c, 0x5bd1e995);
  hB ^= hB >>> 15;
}

/** Emits line[a,b) (mode HASH/COMPARE) or appends it (BUILD), preceded by a space unless first. */
function emitRange(mode: number, first: boolean, line: string, a: number, b: number): void {
  if (mode === BUILD) {
    out = first ? line.slice(a, b) : `${out} ${line.slice(a, b)}`;
  } else if (mode === HASH) {
    // Locals in the loop: module-level variables are slower to update per character.
    let x = hA;
    let y = hB;
    if (!first) {
      x = Math.imul(x ^ 32, 16777619);
      y = Math.imul(y + 32, 0x5bd1e995);
      y ^= y >>> 15;
    }
    for (let i = a; i < b; i++) {
      const c = line.charCodeAt(i);
      x = Math.imul(x ^ c, 16777619);
      y = Math.imul(y + c, 0x5bd1e995);
      y ^= y >>> 15;
    }
    hA = x;
    hB = y;
  } else if (same) {
    let p = pos;
    if (!first) {
      if (target.charCodeAt(p) !== 32) {
        same = false;
        return;
      }
      p++;
    }
    if (p + (b - a) > target.length) {
      same = false;
      return;
    }
    for (let i = a; i < b; i++, p++) {
      if (target.charCodeAt(p) !== line.charCodeAt(i)) {
        same = false;
        return;
      }
    }
    pos = p;
  }
}

function emitString(mode: number, first: boolean, s: string): void {
  emitRange(mode, first, s, 0, s.length);
}

function walk(line: string, from: number, mode: number): void {
  out = '';
  const n = line.length;
  let first = true;
  let runStart = -1; // start of a pending verbatim stretch
  let runEnd = -1;
  let i = from;
  while (i < n) {
    const gapStart = i;
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let check = false;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (isSpace(c)) break;
      // digit, '=', '/', '~', '\\' may make the token variable
      if ((c >= 48 && c <= 57) || c === 61 || c === 47 || c === 126 || c === 92) check = true;
      i++;
    }
    const end = i;
    // Three-letter words may be calendar words; everything else without the marks above is kept.
    const masked = check || end - start === 3 ? maskTokenRange(line, start, end) : undefined;
    const verbatim =
      masked === undefined || (masked.length === end - start && line.startsWith(masked, start));
    if (verbatim && runStart >= 0 && start - gapStart === 1 && line.charCodeAt(gapStart) === 32) {
      runEnd = end;
      continue;
    }
    if (runStart >= 0) {
      emitRange(mode, first, line, runStart, runEnd);
      first = false;
    }
    runStart = -1;
    if (verbatim) {
      runStart = start;
      runEnd = end;
    } else {
      emitString(mode, first, masked);
      first = false;
    }
  }
  if (runStart >= 0) emitRange(mode, first, line, runStart, runEnd);
}

/**
 * The message with its variable parts replaced by `<*>` and whitespace collapsed to single spaces.
 * Stable across occurrences of one event, so it serves as an anomaly signature.
 */
export function maskVariables(message: string): string {
  return maskRange(message, 0);
}
