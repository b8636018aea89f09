import { AwsProviderError } from '../types';

export type ErrorKind = AwsProviderError['kind'];

// SDK v3 error names (the service's own exception codes) grouped by what a caller can do about them.
const BY_NAME: Record<string, ErrorKind> = {
  ThrottlingException: 'throttled',
  Throttling: 'throttled',
  ThrottledException: 'throttled',
  TooManyRequestsException: 'throttled',
  ProvisionedThroughputExceededException: 'throttled',
  RequestLimitExceeded: 'throttled',
  RequestThrottled: 'throttled',
  RequestThrottledException: 'throttled',
  SlowDown: 'throttled',
  LimitExceededException: 'throttled',
  // An update already in progress (Lambda LastUpdateStatus InProgress): try again shortly.
  ResourceConflictException: 'throttled',
  TooManyUpdates: 'throttled',
  AccessDeniedException: 'access_denied',
  AccessDenied: 'access_denied',
  UnauthorizedOperation: 'access_denied',
  UnrecognizedClientException: 'access_denied',
  InvalidSignatureException: 'access_denied',
  ExpiredTokenException: 'access_denied',
  ExpiredToken: 'access_denied',
  NotAuthorizedException: 'access_denied',
  ForbiddenException: 'access_denied',
  CredentialsProviderError: 'access_denied',
  ResourceNotFoundException: 'not_found',
  ResourceNotFound: 'not_found',
  NoSuchKey: 'not_found',
  NoSuchBucket: 'not_found',
  NotFound: 'not_found',
  NotFoundException: 'not_found',
  TaskDoesNotExist: 'not_found',
  ExecutionDoesNotExist: 'not_found',
  StateMachineDoesNotExist: 'not_found',
  DBParameterGroupNotFound: 'not_found',
  DBParameterGroupNotFoundFault: 'not_found',
  ServiceNotFoundException: 'not_found',
  ServiceNotActiveException: 'not_found',
  ClusterNotFoundException: 'not_found',
  ObjectNotFoundException: 'not_found',
  ValidationException: 'validation',
  ValidationError: 'validation',
  InvalidParameterValueException: 'validation',
  InvalidParameterValue: 'validation',
  InvalidParameterException: 'validation',
  InvalidParameterCombination: 'validation',
  InvalidParameterCombinationException: 'validation',
  InvalidRequestException: 'validation',
  InvalidToken: 'validation',
  InvalidArn: 'validation',
  InvalidName: 'validation',
  InvalidExecutionInput: 'validation',
  InvalidOutput: 'validation',
  InvalidDBParameterGroupState: 'validation',
  InvalidDBParameterGroupStateFault: 'validation',
  MalformedQueryException: 'validation',
  BadRequestException: 'validation',
  SerializationException: 'validation',
  ClientException: 'validation',
  DatabaseErrorException: 'validation',
  StatementTimeoutException: 'timeout',
  TimeoutError: 'timeout',
  AbortError: 'timeout',
  RequestTimeout: 'timeout',
  RequestTimeoutException: 'timeout',
  ServiceUnavailable: 'unavailable',
  ServiceUnavailableException: 'unavailable',
  ServiceUnavailableError: 'unavailable',
  InternalServerError: 'unavailable',
  InternalServerErrorException: 'unavailable',
  InternalFailure: 'unavailable',
  InternalServiceError: 'unavailable',
  InternalServiceException: 'unavailable',
  ServerException: 'unavailable',
  ServiceException: 'unavailable',
  DatabaseUnavailableException: 'unavailable',
  DatabaseNotFoundException: 'not_found',
  DatabaseResumingException: 'unavailable',
  TaskTimedOut: 'not_found',
  ExecutionAlreadyExists: 'validation',
  ResourceInUseException: 'validation',
  ConditionalCheckFailedException: 'validation',
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ENOTFOUND: 'unavailable',
  EAI_AGAIN: 'unavailable',
  ETIMEDOUT: 'timeout',
};

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** What kind of failure an SDK (or network) error is; falls back on the HTTP status. */
export function errorKind(err: unknown): ErrorKind {
  const e = (err ?? {}) as SdkLikeError;
  const byName = (e.name && BY_NAME[e.name]) || (e.code && BY_NAME[e.code]);
  if (byName) return byName;
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return 'throttled';
  if (status === 401 || status === 403) return 'access_denied';
  if (status === 404) return 'not_found';
  if (status !== undefined && status >= 400 && status < 500) return 'validation';
  if (status !== undefined && status >= 500) return 'unavailable';
  return 'unknown';
}

/** Wraps any error as an AwsProviderError naming the service and operation (kept as is if it already is one). */
export function toProviderError(service: string, operation: string, err: unknown): AwsProviderError {
  if (err instanceof AwsProviderError) return err;
  const e = (err ?? {}) as SdkLikeError;
  const name = e.name ?? e.code ?? 'Error';
  const message = e.message ? `${name}: ${e.message}` : name;
  return new AwsProviderError(service, operation, errorKind(err), message, { cause: err, sdkRetried: true });
}

/** Default budget of one provider call, retries included (the SDK retries inside it). */
export const DEFAULT_CALL_TIMEOUT_MS = 20_000;

/**
 * Runs one SDK call with an overall deadline (abortSignal) and maps whatever it throws.
 * An abort caused by our deadline is reported as a timeout, naming the budget.
 */
export async function awsCall<T>(
  service: string,
  operation: string,
  fn: (abortSignal: AbortSignal) => Promise<T>,
  timeoutMs: number = DEFAULT_CALL_TIMEOUT_MS,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  timer.unref?.();
  try {
    return await fn(controller.signal);
  } catch (err) {
    if (controller.signal.aborted) {
      throw new AwsProviderError(service, operation, 'timeout', `no answer within ${timeoutMs} ms`, {
        cause: err,
        sdkRetried: true,
      });
    }
    throw toProviderError(service, operation, err);
  } finally {
    clearTimeout(timer);
  }
}
