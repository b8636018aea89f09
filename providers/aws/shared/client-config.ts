import type { Config } from '../../config';

/** Per-attempt socket limits; the overall budget per call is set by awsCall's abortSignal. */
export const REQUEST_TIMEOUT_MS = 10_000;
export const CONNECTION_TIMEOUT_MS = 3_000;
/**
 * The SDK's own bounded retries (exponential backoff with jitter, standard mode): the one retry layer
 * of an AWS request — errors it gave up on are marked `sdkRetried` and not retried again in our code
 * (pipeline/remediation/retry.ts).
 */
export const MAX_ATTEMPTS = 3;

/** The options every SDK v3 client is built with: region from config, bounded retries, socket timeouts. */
export function sdkClientConfig(config: Pick<Config, 'AWS_REGION'>) {
  return {
    region: config.AWS_REGION,
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard' as const,
    // throwOnRequestTimeout: without it the handler only logs a warning when requestTimeout passes.
    requestHandler: {
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
}
