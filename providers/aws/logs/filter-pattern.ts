/**
 * The CloudWatch Logs filter-pattern forms the mock understands (matching is case-sensitive, like
 * CloudWatch's):
 * - empty pattern: every event;
 * - `ERROR Timeout`: every term must appear;
 * - `"Task timed out"`: a quoted phrase must appear as written;
 * - `?ERROR ?WARN`: at least one of the `?` terms must appear;
 * - `ERROR -Retry`: `-` terms must not appear.
 * JSON (`{ $.level = ... }`) and space-delimited (`[ip, user, ...]`) patterns are not supported:
 * they are rejected with a clear error rather than silently matching nothing.
 */
export interface ParsedFilter {
  all: string[];
  any: string[];
  none: string[];
}

export function parseFilterPattern(pattern: string): ParsedFilter {
  const trimmed = pattern.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    throw new Error(
      `filter pattern "${pattern}": JSON and space-delimited patterns are not supported by the mock`,
    );
  }
  const out: ParsedFilter = { all: [], any: [], none: [] };
  const token = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const m of trimmed.matchAll(token)) {
    const prefix = m[1];
    const term = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    if (term === '') continue;
    if (prefix === '?') out.any.push(term);
    else if (prefix === '-') out.none.push(term);
    else out.all.push(term);
  }
  return out;
}

export function matchesFilter(f: ParsedFilter, message: string): boolean {
  if (!f.all.every((t) => message.includes(t))) return false;
  if (f.none.some((t) => message.includes(t))) return false;
  if (f.any.length > 0 && !f.any.some((t) => message.includes(t))) return false;
  return true;
}
