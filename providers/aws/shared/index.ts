/** Shared pieces of the AWS providers: error mapping, the per-call deadline, SDK client options, fault injection. */

export { sdkClientConfig } from './client-config';
export { awsCall, DEFAULT_CALL_TIMEOUT_MS, type ErrorKind, errorKind, toProviderError } from './errors';
export { type FaultInjectable, FaultInjector } from './faults';
