/** Secrets: Secrets Manager on the SDK (cached) and the map-backed mock. */
export { MockSecrets } from './mock';
export { SdkSecrets, SECRET_CACHE_MS } from './real';
