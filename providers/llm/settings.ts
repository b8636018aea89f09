/** Sampling settings the design fixes for every real provider (low temperature: reproducible analyses). */
export const TEMPERATURE = 0.3;
export const MAX_OUTPUT_TOKENS = 4096;

/** Backoff between retries: base doubles per retry, full jitter, capped. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 8_000;
