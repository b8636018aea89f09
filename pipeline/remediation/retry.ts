import { AwsProviderError } from '../../providers/aws/types';

export interface RetryOptions {
  /** Total attempts, including the first. */
  attempts?: number;
  base_ms?: number;
  /** Which errors are worth another try; by default throttling, timeouts and unavailability. */
  retryable?: (e: unknown) => boolean;
}

export function isTransient(e: unknown): boolean {
  if (e instanceof AwsProviderError)
    return e.kind === 'throttled' || e.kind === 'timeout' || e.kind === 'unavailable';
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bounded retries with exponential backoff and jitter; the last error is rethrown as is. */
export async function withRetry<T>(what: string, fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const base = opts.base_ms ?? 100;
  const retryable = opts.retryable ?? isTransient;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      if (i === attempts - 1 || !retryable(e)) break;
      await sleep(base * 2 ** i * (0.5 + Math.random() / 2));
    }
  }
  if (last instanceof Error && !last.message.includes(what)) last.message = `${what}: ${last.message}`;
  throw last;
}
