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
  if (end - start === 3 && isCalendarWord(s, start)) return true;
  return isHostName(s, start, end);
}

/** Calendar words packed as numbers (three char codes), so the check allocates nothing. */
const CALENDAR_CODES = new Set([...CALENDAR_WORDS].map((w) => pack3(w, 0)));

function pack3(s: string, at: number): number {
  return s.charCodeAt(at) * 65536 + s.charCodeAt(at + 1) * 256 + s.charCodeAt(at + 2);
}

function isCalendarWord(s: string, at: number): boolean {
  const c = s.charCodeAt(at);
  return c >= 65 && c <= 90 && CALENDAR_CODES.has(pack3(s, at));
}

/**
 * A DNS host name: three or more dot-separated lower-case labels ending in a 2–6 letter label
 * (`mail.example.org`). Class and package paths (`java.util.List`, `org.apache.X`) have capitals or
 * end in a longer word, so they stay literal.
 */
function isHostName(s: string, start: number, end: number): boolean {
  let dots = 0;
  let label = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (label === 0) return false;
      dots++;
      label = 0;
    } else if ((c >= 97 && c <= 122) || c === 45) label++;
    else return false;
  }
  return dots >= 2 && label >= 2 && label <= 6;
}

// The part of the last token `maskSpan` found variable: [spanA, spanB) becomes `<*>`.
let spanA = 0;
let spanB = 0;

/**
 * Whether the token s[start,end) holds a variable; if so, sets [spanA, spanB) to the part that is
 * replaced by `<*>` (wrapping punctuation and a `key=` stay). Allocates nothing.
 */
function maskSpan(s: string, start: number, end: number, eq = start, strong = false): boolean {
  // key=value → key=<*> (the key stays: it names the variable). Empty values stay empty.
  // `eq`: where to look for '=' from (the caller's scan may already know there is none: `end`).
  for (let i = eq > start ? eq : start + 1; i < end - 1; i++) {
    if (s.charCodeAt(i) === 61) {
      // Already masked (`key=<*>`): masking stays idempotent, so masked text hashes as its source.
      if (s.startsWith(WILDCARD, i + 1)) return false;
      // Keep a closing bracket after the value, e.g. "[myid=1]" → "[myid=<*>]".
      let ve = end;
      while (ve > i + 1 && isCloser(s.charCodeAt(ve - 1))) ve--;
      if (ve <= i + 1) return false;
      spanA = i + 1;
      spanB = ve;
      return true;
    }
  }
  let a = start;
  let b = end;
  while (a < b && isOpener(s.charCodeAt(a))) a++;
  while (b > a && isCloser(s.charCodeAt(b - 1))) b--;
  // `strong`: the token holds a digit or a backslash, which wrapping punctuation never is.
  if (!(strong ? a < b : isVariableCore(s, a, b))) return false;
  spanA = a;
  spanB = b;
  return true;
}

/** Masks one token s[start,end). Returns the token unchanged (as a slice) when nothing varies. */
export function maskTokenRange(s: string, start: number, end: number): string {
  if (!maskSpan(s, start, end)) return s.slice(start, end);
  if (spanA === start && spanB === end) return WILDCARD;
  return `${s.slice(start, spanA)}${WILDCARD}${s.slice(spanB, end)}`;
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
 * FNV-style hashes). Kept for callers that want a wide key; the miner uses `maskHashSmall`.
 */
export function maskHash(line: string, from: number): number {
  maskHashSmall(line, from);
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

const P1 = 16777619; // FNV prime
const P2 = 0x5bd1e995; // a second odd multiplier (MurmurHash2's)
const W0 = WILDCARD.charCodeAt(0);
const W1 = WILDCARD.charCodeAt(1);
const W2 = WILDCARD.charCodeAt(2);

/**
 * 30-bit hash of `maskRange(line, from)` (a small integer, which V8 keeps unboxed: cheaper as a Map
 * key than a double), computed in one pass over the line with no allocation: each token is hashed
 * as it is scanned and re-hashed in masked form only when it holds a variable. `lastHashCheck`
 * gives a second, independent 32-bit hash. Collisions are expected now and then; callers confirm.
 */
export function maskHashSmall(line: string, from: number): number {
  let x = 0x811c9dc5 | 0;
  let y = 0x9747b28c | 0;
  const n = line.length;
  let i = from;
  let first = true;
  while (i < n) {
    let c = line.charCodeAt(i);
    while (isSpace(c)) {
      if (++i >= n) break;
      c = line.charCodeAt(i);
    }
    if (i >= n) break;
    if (!first) {
      x = Math.imul(x ^ 32, P1);
      y = Math.imul(y ^ 32, P2);
    }
    first = false;
    const bx = x;
    const by = y;
    const start = i;
    let check = false;
    let strong = false;
    let eq = -1;
    let dots = 0;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === 32 || isSpace(c)) break;
      // digit, '=', '/', '~', '\\' may make the token variable; two dots may make it a host name
      if ((c >= 48 && c <= 57) || c === 92) {
        check = true;
        strong = true;
      } else if (c === 61) {
        check = true;
        if (eq < 0) eq = i;
      } else if (c === 47 || c === 126) check = true;
      else if (c === 46 && ++dots === 2) check = true;
      x = Math.imul(x ^ c, P1);
      y = Math.imul(y ^ c, P2);
      i++;
    }
    // No '=' at all: skip the key=value search (a '=' first in the token is searched past as before).
    if ((check || i - start === 3) && maskSpan(line, start, i, eq < 0 ? i : eq, strong)) {
      x = bx;
      y = by;
      for (let k = start; k < spanA; k++) {
        c = line.charCodeAt(k);
        x = Math.imul(x ^ c, P1);
        y = Math.imul(y ^ c, P2);
      }
      x = Math.imul(Math.imul(Math.imul(x ^ W0, P1) ^ W1, P1) ^ W2, P1);
      y = Math.imul(Math.imul(Math.imul(y ^ W0, P2) ^ W1, P2) ^ W2, P2);
      for (let k = spanB; k < i; k++) {
        c = line.charCodeAt(k);
        x = Math.imul(x ^ c, P1);
        y = Math.imul(y ^ c, P2);
      }
    }
  }
  // Final mixing (murmur3 fmix32), so every input bit reaches the low bits used as the key.
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  y ^= y >>> 16;
  y = Math.imul(y, 0x85ebca6b);
  y ^= y >>> 13;
  y = Math.imul(y, 0xc2b2ae35);
  y ^= y >>> 16;
  hA = x;
  hB = y;
  return x & 0x3fffffff;
}

/** The second 32-bit hash of the last `maskHashSmall` walk (lets the cache tell apart colliding keys). */
export function lastHashCheck(): number {
  return hB | 0;
}

const BUILD = 0;
const COMPARE = 2;
// Walk state (module-level: the walk is synchronous and this avoids per-line allocation).
let out = '';
let hA = 0;
let hB = 0;
let target = '';
let pos = 0;
let same = true;

/** Compares line[a,b) (mode COMPARE) or appends it (BUILD), preceded by a space unless first. */
function emitRange(mode: number, first: boolean, line: string, a: number, b: number): void {
  if (mode === BUILD) {
    out = first ? line.slice(a, b) : `${out} ${line.slice(a, b)}`;
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
    let dots = 0;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (isSpace(c)) break;
      // digit, '=', '/', '~', '\\' may make the token variable; two dots may make it a host name
      if ((c >= 48 && c <= 57) || c === 61 || c === 47 || c === 126 || c === 92) check = true;
      else if (c === 46 && ++dots === 2) check = true;
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
