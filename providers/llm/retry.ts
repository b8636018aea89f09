import { type FailureContext, isRetryable, toLLMError } from './errors';
import type { LLMError, LLMProviderName } from './types';

export interface RetryOptions {
  provider: LLMProviderName;
  /** Attempts after the first one (LLM_MAX_RETRIES). */
  retries: number;
  /** Limit for each attempt (LLM_TIMEOUT_MS). */
  timeoutMs: number;
  /** First backoff step; doubles per retry, full jitter. */
  backoffBaseMs: number;
  /** Upper bound of one backoff wait. */
  backoffMaxMs: number;
  /** Values never to show in an error message. */
  secrets: readonly string[];
  /** The caller's cancellation; stops the attempt in flight and any further retry. */
  signal?: AbortSignal;
  /** Told before each retry (for a log line). */
  onRetry?: (info: { attempt: number; delayMs: number; error: LLMError }) => void;
  /** Injectable randomness so the jitter is testable. */
  random?: () => number;
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^n)]. */
export function backoffDelay(
  retry: number,
  base: number,
  max: number,
  random: () => number = Math.random,
): number {
  return Math.round(random() * Math.min(max, base * 2 ** retry));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Runs `attempt` with a fresh per-attempt AbortSignal (our timeout + the caller's signal), retrying
 * only failures worth retrying, at most `retries` times. Always throws an LLMError.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  opts: RetryOptions,
): Promise<T> {
  for (let n = 0; ; n++) {
    const ctx: FailureContext = {
      timedOut: false,
      aborted: false,
      secrets: opts.secrets,
      timeoutMs: opts.timeoutMs,
    };
    const controller = new AbortController();
    const timer = setTimeout(() => {
      ctx.timedOut = true;
      controller.abort(new Error(`timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    const onCallerAbort = () => controller.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      // Race the attempt against its signal: not every SDK path honours the signal (Gemini's
      // non-streaming call does not), and the time limit must hold whatever the SDK does.
      return await raceAbort(attempt(controller.signal), controller.signal);
    } catch (e) {
      clearTimeout(timer); // this attempt is over: its limit must not run into the backoff
      ctx.aborted = opts.signal?.aborted === true;
      const error = toLLMError(opts.provider, e, ctx);
      if (n >= opts.retries || !isRetryable(error)) throw error;
      const delayMs = backoffDelay(n, opts.backoffBaseMs, opts.backoffMaxMs, opts.random);
      opts.onRetry?.({ attempt: n + 1, delayMs, error });
      try {
        await sleep(delayMs, opts.signal);
      } catch (abortReason) {
        throw toLLMError(opts.provider, abortReason, { ...ctx, aborted: true });
      }
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}
