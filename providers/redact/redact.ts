import { detectSecretRanges, worthDetecting } from './detector';
import { maskSecrets, REDACTED } from './masks';

/**
 * One redactor for everything that leaves the system or reaches a person or a model: log samples
 * and templates, tool outputs, prompts, cards, thread answers and our own logs.
 *
 * - `redactText` / `redactValue` (sync): the masks only — for renders and log lines that cannot wait.
 * - `redactTextDeep` / `redactValueDeep` (async): the masks, then secretlint's recommended preset on
 *   whatever still looks secret-shaped (a cheap pre-filter keeps it off ordinary lines).
 */
export function redactText(text: string): string {
  return maskSecrets(text);
}

export async function redactTextDeep(text: string): Promise<string> {
  const masked = maskSecrets(text);
  if (!worthDetecting(masked)) return masked;
  let ranges: [number, number][];
  try {
    ranges = await detectSecretRanges(masked);
  } catch {
    // The detector failed: the masks stand (never fail the caller's work on redaction).
    return masked;
  }
  if (ranges.length === 0) return masked;
  let out = '';
  let at = 0;
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (e <= at) continue;
    out += masked.slice(at, Math.max(at, s)) + REDACTED;
    at = e;
  }
  return out + masked.slice(at);
}

/** Redacts every string inside a JSON-like value (keys are kept). */
export function redactValue<T>(value: T): T {
  return walk(value, redactText) as T;
}

export async function redactValueDeep<T>(value: T): Promise<T> {
  const strings: string[] = [];
  walk(value, (s) => {
    strings.push(s);
    return s;
  });
  const done = new Map<string, string>();
  await Promise.all(
    [...new Set(strings)].map(async (s) => {
      done.set(s, await redactTextDeep(s));
    }),
  );
  return walk(value, (s) => done.get(s) ?? redactText(s)) as T;
}

function walk(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => walk(x, f));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, f)]));
  return v;
}
