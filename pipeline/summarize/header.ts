import { CALENDAR_WORDS } from './mask';

/**
 * Splitting raw log lines into header (timestamp, level, host, pid, component, request id…) and
 * message, with no per-format configuration. Two parts:
 *  - `HeaderSplitter` learns the header per input: it reads the first lines of a file or stream,
 *    gives each leading field a shape (time-like, level word, `name:` tag, bracketed, dash, word…)
 *    and takes as header the longest run of leading columns whose shape is the same in almost all
 *    lines and that ends on a delimiting column (time, level, tag, bracket, dash, or a column
 *    followed by padding). Lines that do not fit the learned header use the generic split below,
 *    and enough such lines teach the splitter another header (mixed files).
 *  - `splitHeader` is the generic per-line split used without a sample: a timestamp-like token
 *    near the start, then a severity word or the first `name:` token ends the header.
 * Fields are scanned over char codes with module-level state: this runs once per log line.
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
  ['INFORMATION', 'INFO'],
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

/** One-letter severities of a level column (logcat and similar): only trusted in a learned column. */
const LETTER_LEVELS = new Map<number, string>([
  [86, 'TRACE'], // V(erbose)
  [68, 'DEBUG'], // D
  [73, 'INFO'], // I
  [87, 'WARN'], // W
  [69, 'ERROR'], // E
  [70, 'FATAL'], // F
  [65, 'FATAL'], // A(ssert)
]);

// ---- shapes of header fields ----
const K_NONE = 0;
const K_TIME = 1; // digits with date/time punctuation, calendar words, plain numbers
const K_LEVEL = 2; // a severity word, possibly bracketed
const K_LETTER = 3; // a single capital letter that may be a severity
const K_TAG = 4; // ends in ':' (`sshd[24]:`, `pkg.Class:`)
const K_BRACKET = 5; // wrapped in [] () <>
const K_DASH = 6; // a lone separator (`-`, `*`, `:`)
const K_KV = 7; // key=value
const K_ID = 8; // letters and digits (hosts, node names, file names)
const K_WORD = 9; // letters only
const KINDS = 10;

/**
 * Shape groups for columns inside the header, where a little variation is fine: times and numbers
 * apart from text (a lone `-` is the usual placeholder of an empty text column).
 */
function group(k: number): number {
  return k === K_TIME ? 1 : 3;
}

function isTerminal(k: number): boolean {
  return k === K_TIME || k === K_LEVEL || k === K_LETTER || k === K_TAG || k === K_BRACKET || k === K_DASH;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}
function isOpen(c: number): boolean {
  return c === 91 || c === 40 || c === 60; // [ ( <
}
function isClose(c: number): boolean {
  return c === 93 || c === 41 || c === 62 || c === 44; // ] ) > ,
}
function isLetter(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// Field scanner state: the last field found by `nextField`.
let fs = 0;
let fe = 0;

/** Longest bracketed stretch merged into one field, e.g. `[req-… user tenant - - -]`. */
const MAX_BRACKET = 200;

/**
 * Finds the next field at or after `from`: skips spaces and `|` separators; a field that opens with
 * `[` runs to its matching `]` even across spaces. Sets `fs`/`fe`; false at the end of the line.
 */
function nextField(line: string, from: number): boolean {
  const n = line.length;
  let p = from;
  while (p < n) {
    const c = line.charCodeAt(p);
    if (!isSpace(c) && c !== 124) break;
    p++;
  }
  if (p >= n) return false;
  fs = p;
  if (line.charCodeAt(p) === 91) {
    let depth = 0;
    const limit = Math.min(n, p + MAX_BRACKET);
    for (let q = p; q < limit; q++) {
      const c = line.charCodeAt(q);
      if (c === 91) depth++;
      else if (c === 93 && --depth === 0) {
        p = q + 1;
        break;
      }
    }
  }
  while (p < n) {
    const c = line.charCodeAt(p);
    if (isSpace(c) || c === 124) break;
    p++;
  }
  fe = p;
  return true;
}

/** Index of the next field start at or after `from` (the line's length if none). */
function fieldStart(line: string, from: number): number {
  const n = line.length;
  let p = from;
  while (p < n) {
    const c = line.charCodeAt(p);
    if (!isSpace(c) && c !== 124) break;
    p++;
  }
  return p;
}

/**
 * Digits with date/time punctuation (`2015-07-29`, `17:41:44,747`, `081109`), calendar words, or
 * several of those separated by spaces (inside a bracketed field: `[Sun Dec 04 04:47:44 2005]`).
 */
function timeLikeRange(s: string, a: number, b: number): boolean {
  let digits = 0;
  let i = a;
  while (i < b) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      digits++;
      i++;
    } else if (isLetter(c)) {
      let j = i;
      while (j < b && isLetter(s.charCodeAt(j))) j++;
      const len = j - i;
      if (len === 3 && CALENDAR_WORDS.has(s.slice(i, j))) digits++;
      // A lone T or Z inside digits (ISO 8601).
      else if (!(len === 1 && (c === 84 || c === 90) && digits > 0)) return false;
      i = j;
    } else if (c === 45 || c === 47 || c === 58 || c === 46 || c === 44 || c === 43 || c === 32) {
      i++; // - / : . , + space
    } else {
      return false;
    }
  }
  return digits > 0;
}

/** Letters packed base 27 (case-folded): a number key, so severity lookups allocate nothing. */
function packLetters(s: string, a: number, b: number): number {
  let code = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (!isLetter(c)) return -1;
    code = code * 27 + ((c | 32) - 96);
  }
  return code;
}

const LEVEL_CODES = new Map<number, string>([...LEVELS].map(([w, l]) => [packLetters(w, 0, w.length), l]));

/** Normalised severity of the core s[a,b) when it is a severity word. */
function levelWord(s: string, a: number, b: number): string | undefined {
  if (b - a < 3 || b - a > 11) return undefined;
  return LEVEL_CODES.get(packLetters(s, a, b));
}

/** Whether the field s[a,b) has the time shape (`kindOf(…) === K_TIME`), found more cheaply. */
function isTimeField(s: string, a: number, b: number): boolean {
  let ca = a;
  let cb = b;
  while (ca < cb && isOpen(s.charCodeAt(ca))) ca++;
  while (cb > ca && (isClose(s.charCodeAt(cb - 1)) || s.charCodeAt(cb - 1) === 58)) cb--;
  if (cb - ca < 1) return false;
  if (cb - ca === 1 && !isDigit(s.charCodeAt(ca))) return false;
  return timeLikeRange(s, ca, cb);
}

/** Shape of the field s[a,b). */
function kindOf(s: string, a: number, b: number): number {
  let ca = a;
  let cb = b;
  while (ca < cb && isOpen(s.charCodeAt(ca))) ca++;
  while (cb > ca && (isClose(s.charCodeAt(cb - 1)) || s.charCodeAt(cb - 1) === 58)) cb--;
  if (ca >= cb) return K_DASH;
  const first = s.charCodeAt(ca);
  if (cb - ca === 1 && !isLetter(first) && !isDigit(first)) return K_DASH;
  if (timeLikeRange(s, ca, cb)) return K_TIME;
  if (levelWord(s, ca, cb)) return K_LEVEL;
  if (cb - ca === 1 && b - a === 1 && LETTER_LEVELS.has(first)) return K_LETTER;
  const last = s.charCodeAt(b - 1);
  if (last === 58 && b - a > 1) return K_TAG;
  if (isOpen(s.charCodeAt(a)) && (last === 93 || last === 41 || last === 62)) return K_BRACKET;
  let digit = false;
  for (let i = ca; i < cb; i++) {
    const c = s.charCodeAt(i);
    if (c === 61 && i > ca) return K_KV;
    if (isDigit(c)) digit = true;
  }
  return digit ? K_ID : K_WORD;
}

/** Severity carried by a header field of kind `k`, if any. */
function fieldLevel(s: string, a: number, b: number, k: number): string | undefined {
  if (k === K_LETTER) return LETTER_LEVELS.get(s.charCodeAt(a));
  if (k !== K_LEVEL) return undefined;
  let ca = a;
  let cb = b;
  while (ca < cb && isOpen(s.charCodeAt(ca))) ca++;
  while (cb > ca && (isClose(s.charCodeAt(cb - 1)) || s.charCodeAt(cb - 1) === 58)) cb--;
  return levelWord(s, ca, cb);
}

// ---- learning the header of one input ----

/** Settings of header learning (global, not per format). */
export interface HeaderLearnOptions {
  /** Share of sample lines in which a column must have its usual shape to count as header. */
  stability?: number;
  /** Leading fields looked at. */
  maxColumns?: number;
}

export const DEFAULT_HEADER_OPTIONS: Required<HeaderLearnOptions> = { stability: 0.85, maxColumns: 14 };

/** A learned header: its column count and the usual shape of each column. */
export interface HeaderModel {
  columns: number;
  kinds: number[];
}

/**
 * Learns the header of an input from sample lines (e.g. its first 256). Returns undefined when no
 * header is found: no stable run of leading columns that holds a time or a level and ends on a
 * delimiting column.
 */
export function learnHeader(
  sample: readonly string[],
  options: HeaderLearnOptions = {},
): HeaderModel | undefined {
  const stability = options.stability ?? DEFAULT_HEADER_OPTIONS.stability;
  const maxColumns = options.maxColumns ?? DEFAULT_HEADER_OPTIONS.maxColumns;
  const counts = Array.from({ length: maxColumns }, () => new Array<number>(KINDS).fill(0));
  const padded = new Array<number>(maxColumns).fill(0);
  // Lines whose delimiter (dash or tag) comes one field late: an optional word before it.
  const late = Array.from({ length: maxColumns }, () => new Array<number>(KINDS).fill(0));
  const kinds = new Array<number>(maxColumns + 1);
  let lines = 0;
  for (const line of sample) {
    let p = 0;
    let c = 0;
    while (c <= maxColumns && nextField(line, p)) {
      kinds[c] = kindOf(line, fs, fe);
      if (c < maxColumns) {
        counts[c][kinds[c]]++;
        // Two or more spaces after a field: a padded, fixed-width column.
        if (line.charCodeAt(fe) === 32 && line.charCodeAt(fe + 1) === 32) padded[c]++;
      }
      if (c > 0 && kinds[c] !== kinds[c - 1] && (kinds[c] === K_DASH || kinds[c] === K_TAG))
        late[c - 1][kinds[c]]++;
      p = fe;
      c++;
    }
    if (c > 0) lines++;
  }
  if (lines === 0) return undefined;
  const need = stability * lines;
  const columnKinds: number[] = [];
  let columns = 0;
  let timeOrLevel = false;
  let levelAt = -1;
  let lastTime = -1;
  for (let c = 0; c < maxColumns; c++) {
    const n = counts[c];
    let best = K_NONE;
    for (let k = 1; k < KINDS; k++) if (n[k] > n[best]) best = k;
    // Severity words and single letters share a level column.
    const levelish = n[K_LEVEL] + n[K_LETTER];
    if (levelish >= need) best = n[K_LETTER] > n[K_LEVEL] ? K_LETTER : K_LEVEL;
    // A column is stable when its shape group (time / dash / text) holds in almost all lines.
    let inGroup = 0;
    for (let k = 1; k < KINDS; k++) if (group(k) === group(best)) inGroup += n[k];
    if (best === K_NONE || best === K_KV || inGroup < need) break;
    const exact = isLevelKind(best) ? levelish : n[best] + late[c][best];
    // Where a header must end even when the message columns look regular (one template
    // dominating the sample): two columns after the level (a component and a separator), and
    // never more than three text columns in a row before it.
    if (levelAt >= 0 ? c > levelAt + 2 : lastTime >= 0 && c - lastTime > 3 && !isLevelKind(best)) break;
    columnKinds.push(best);
    if (best === K_TIME) lastTime = c;
    if (isLevelKind(best) && levelAt < 0) levelAt = c;
    if (best === K_TIME || isLevelKind(best)) timeOrLevel = true;
    if (timeOrLevel && ((isTerminal(best) && exact >= need) || padded[c] >= need)) columns = c + 1;
    // A `name:` column ends the header.
    if (best === K_TAG && exact >= need && timeOrLevel) break;
  }
  return columns > 0 ? { columns, kinds: columnKinds.slice(0, columns) } : undefined;
}

/** Fields past the learned header searched for its delimiting column (a variable-width column before it). */
const LOOKAHEAD = 3;

let splitLevel: string | undefined;

/** Whether the field s[a,b) has the shape `want` (the delimiting column of a learned header). */
function fits(s: string, a: number, b: number, want: number): boolean {
  const first = s.charCodeAt(a);
  const last = s.charCodeAt(b - 1);
  switch (want) {
    case K_TAG:
      return last === 58 && b - a > 1 && !isDigit(first);
    case K_BRACKET:
      return isOpen(first) && (last === 93 || last === 41 || last === 62);
    case K_DASH:
      return b - a === 1 && !isLetter(first) && !isDigit(first);
    case K_TIME:
    case K_LEVEL:
    case K_LETTER:
      return kindOf(s, a, b) === want || (want !== K_TIME && isLevelKind(kindOf(s, a, b)));
    default:
      // A padded text column (e.g. a component name): anything but a time.
      return kindOf(s, a, b) !== K_TIME;
  }
}

/**
 * Message start of `line` under `model`, or -1 when the line does not fit it: its first field must
 * have the first column's shape group and its delimiting column must be where the header says, or
 * a few fields later (a variable-width column before it). With `withLevel`, every header field is
 * classified and a severity found is left in `splitLevel`; without, only those two are looked at.
 */
function applyModel(line: string, model: HeaderModel, withLevel: boolean): number {
  splitLevel = undefined;
  const { columns, kinds } = model;
  const last = columns - 1;
  let p = 0;
  for (let c = 0; c < last; c++) {
    if (!nextField(line, p)) return -1;
    if (c === 0 && !withLevel) {
      if (isTimeField(line, fs, fe) !== (kinds[0] === K_TIME)) return -1;
    } else if (withLevel) {
      const k = kindOf(line, fs, fe);
      if (c === 0 && group(k) !== group(kinds[0])) return -1;
      if (withLevel && (k === K_LEVEL || (k === K_LETTER && kinds[c] === K_LETTER))) {
        splitLevel = fieldLevel(line, fs, fe, k);
      }
    }
    p = fe;
  }
  const want = kinds[last];
  for (let extra = 0; extra <= LOOKAHEAD; extra++) {
    if (!nextField(line, p)) return -1;
    if (last === 0 && extra === 0 && group(kindOf(line, fs, fe)) !== group(kinds[0])) return -1;
    if (fits(line, fs, fe, want)) {
      if (withLevel && isLevelKind(want)) splitLevel = fieldLevel(line, fs, fe, kindOf(line, fs, fe));
      const start = fieldStart(line, fe);
      return start < line.length ? start : -1;
    }
    p = fe;
  }
  return -1;
}

function isLevelKind(k: number): boolean {
  return k === K_LEVEL || k === K_LETTER;
}

/** Sample size for learning, and bounds on relearning from lines that fit no header. */
const SAMPLE_LINES = 256;
const RELEARN_FIRST = 128;
const RELEARN_MAX = 8192;
const MAX_MODELS = 8;

/**
 * Per-input header splitter. Give it the first lines of the input (or nothing: it then learns from
 * the first lines that fit no header). Deterministic: the same lines in the same order split the same.
 */
export class HeaderSplitter {
  private readonly models: HeaderModel[] = [];
  private pending: string[] = [];
  private relearnAt = RELEARN_FIRST;
  private readonly options: HeaderLearnOptions;

  constructor(sample?: readonly string[], options: HeaderLearnOptions = {}) {
    this.options = options;
    if (sample && sample.length > 0) {
      const model = learnHeader(sample.slice(0, SAMPLE_LINES), options);
      if (model) this.models.push(model);
      else this.relearnAt = RELEARN_MAX;
    }
  }

  /** The learned headers (for tests and reports). */
  headers(): readonly HeaderModel[] {
    return this.models;
  }

  /** Where the message of `line` starts. */
  messageStart(line: string): number {
    return this.apply(line, false);
  }

  /** Message start and the severity found in the header. */
  split(line: string): SplitLine {
    const messageStart = this.apply(line, true);
    return splitLevel === undefined ? { messageStart } : { messageStart, level: splitLevel };
  }

  private apply(line: string, withLevel: boolean): number {
    const models = this.models;
    for (let i = 0; i < models.length; i++) {
      const start = applyModel(line, models[i], withLevel);
      if (start >= 0) {
        if (i > 0) {
          // Most recent fit first: in a mixed file, runs of one format stay cheap.
          const [m] = models.splice(i, 1);
          models.unshift(m);
        }
        return start;
      }
    }
    this.remember(line);
    return scan(line);
  }

  private remember(line: string): void {
    this.pending.push(line);
    if (this.pending.length < this.relearnAt) return;
    const model = learnHeader(this.pending, this.options);
    this.pending = [];
    if (model) {
      this.models.unshift(model);
      if (this.models.length > MAX_MODELS) this.models.pop();
      this.relearnAt = RELEARN_FIRST;
    } else {
      this.relearnAt = Math.min(RELEARN_MAX, this.relearnAt * 2);
    }
  }
}

// ---- generic per-line split (no sample) ----

const MAX_TOKENS = 12;

function levelOf(s: string, start: number, end: number): string | undefined {
  let a = start;
  let b = end;
  while (a < b && isOpen(s.charCodeAt(a))) a++;
  while (b > a && isClose(s.charCodeAt(b - 1))) b--;
  return levelWord(s, a, b);
}

function isTimeLike(s: string, start: number, end: number): boolean {
  let a = start;
  let b = end;
  while (a < b && isOpen(s.charCodeAt(a))) a++;
  while (b > a && isClose(s.charCodeAt(b - 1))) b--;
  return a < b && timeLikeRange(s, a, b);
}

function endsWithColon(s: string, start: number, end: number): boolean {
  return end - start > 1 && s.charCodeAt(end - 1) === 58;
}

function isBracketed(s: string, start: number, end: number): boolean {
  return end - start > 2 && s.charCodeAt(start) === 91 && s.charCodeAt(end - 1) === 93;
}

function skipSpace(line: string, from: number): number {
  let p = from;
  while (p < line.length && isSpace(line.charCodeAt(p))) p++;
  return p;
}

/**
 * Generic split of one line: a timestamp-like token within the first three; then a severity word
 * (plus one component and a `-`), or the first `name:` token, ends the header; `time|a|b|message`
 * ends it at the last `|` of the first token. Leaves the severity in `splitLevel`.
 */
function scan(line: string): number {
  splitLevel = undefined;
  const n = line.length;
  let a = skipSpace(line, 0);
  if (a >= n) return 0;
  let b = a;
  while (b < n && !isSpace(line.charCodeAt(b))) b++;
  const pipe = line.indexOf('|', a);
  if (pipe > 0 && pipe < b && isTimeLike(line, a, pipe)) {
    const last = line.lastIndexOf('|', b - 1);
    let f = a;
    while (f < last) {
      const e = line.indexOf('|', f);
      splitLevel ??= levelOf(line, f, e);
      f = e + 1;
    }
    return last + 1;
  }
  let timeAt = -1;
  let levelAt = -1;
  for (let t = 0; t < MAX_TOKENS; t++) {
    const next = skipSpace(line, b);
    if (levelAt >= 0) {
      const component = t === levelAt + 1 && (endsWithColon(line, a, b) || isBracketed(line, a, b));
      const dash = t <= levelAt + 2 && b - a === 1 && line.charCodeAt(a) === 45;
      if (next >= n || !(component || dash)) return a;
    } else if (timeAt < 0) {
      if (t >= 3) return 0;
      if (isTimeLike(line, a, b)) timeAt = t;
    } else {
      if (next >= n) return 0;
      const level = levelOf(line, a, b);
      if (level) {
        splitLevel = level;
        levelAt = t;
      } else if (endsWithColon(line, a, b) && !isTimeLike(line, a, b)) {
        return next;
      }
    }
    if (next >= n) break;
    a = next;
    b = a;
    while (b < n && !isSpace(line.charCodeAt(b))) b++;
  }
  return levelAt >= 0 ? a : 0;
}

/** Index where the message of a raw line starts (generic split; 0 when no header was recognised). */
export function messageStart(line: string): number {
  return scan(line);
}

/** Splits a raw log line into its message start and the severity found in the header (generic split). */
export function splitHeader(line: string): SplitLine {
  const messageStart = scan(line);
  return splitLevel === undefined ? { messageStart } : { messageStart, level: splitLevel };
}
