import { createHash } from 'node:crypto';

/**
 * What identifies a problem. Only stable facts go in: never timestamps, ids, counts or values, so the
 * same problem hashes to the same signature run after run.
 */
export interface SignatureParts {
  service: string;
  source: string;
  kind: string;
  /** Metric identity, log group + pattern, or the masked log template. */
  [identity: string]: string | Record<string, string> | undefined;
}

/** 32 hex characters (128 bits) of SHA-256 over a canonical (key-sorted) JSON of the parts. */
export function anomalySignature(parts: SignatureParts): string {
  return createHash('sha256').update(canonical(parts)).digest('hex').slice(0, 32);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
}
