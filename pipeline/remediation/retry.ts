import { AwsProviderError } from '../../providers/aws/types';

export interface RetryOptions {
  /** Total attempts, including the first. */
  attempts?: number;
  base_ms?: number;
  /** Which errors are worth another try; by default transient ones no SDK has retried (isRetryableHere). */
  retryable?: (e: unknown) => boolean;
}

export function isTransient(e: unknown): boolean {
  if (e instanceof AwsProviderError)
    return e.kind === 'throttled' || e.kind === 'timeout' || e.kind === 'unavailable';
  return false;
}

/**
 * Worth a retry here: transient, and not already retried by an SDK client.
 *
 * Retry layers, one per call path (worst case for one throttled read was SDK 3 × this 3 × Step
 * Functions 4 = 36 calls):
 * - an AWS API request: the SDK's standard retry mode (providers/aws/shared/client-config.ts,
 *   3 attempts, backoff with jitter, client-side retry quota). Errors it gave up on are marked
 *   `sdkRetried` and are not retried here.
 * - calls with no SDK below them (the in-memory providers behind `npm start` and the tests): this
 *   module is their retry layer.
 * - a workflow step: Step Functions retries the Lambda invocation (`Lambda.*` errors) and a step that
 *   failed with TransientError (infra/workflow/states.ts), after 2–8 s, outlasting a throttling burst
 *   the SDK's sub-second backoff did not. Worst case for one throttled read: 3 × 4 = 12 requests.
 */
export function isRetryableHere(e: unknown): boolean {
  return isTransient(e) && !(e instanceof AwsProviderError && e.sdkRetried);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bounded retries with exponential backoff and jitter; the last error is rethrown as is. */
export async function withRetry<T>(what: string, fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const base = opts.base_ms ?? 100;
  const retryable = opts.retryable ?? isRetryableHere;
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
