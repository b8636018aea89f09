import { AwsProviderError } from '../../../providers/aws';
import { awsCall, errorKind, toProviderError } from '../../../providers/aws/shared/errors';
import { FaultInjector } from '../../../providers/aws/shared/faults';
import { sdkError } from './helpers';

describe('SDK error mapping', () => {
  it.each([
    ['ThrottlingException', 400, 'throttled'],
    ['TooManyRequestsException', 429, 'throttled'],
    ['ProvisionedThroughputExceededException', 400, 'throttled'],
    ['AccessDeniedException', 400, 'access_denied'],
    ['AccessDenied', 403, 'access_denied'],
    ['ResourceNotFoundException', 400, 'not_found'],
    ['NoSuchKey', 404, 'not_found'],
    ['TaskDoesNotExist', 400, 'not_found'],
    ['DBParameterGroupNotFound', 404, 'not_found'],
    ['ValidationException', 400, 'validation'],
    ['InvalidParameterValueException', 400, 'validation'],
    ['InvalidToken', 400, 'validation'],
    ['ServiceUnavailableException', 503, 'unavailable'],
    ['InternalFailure', 500, 'unavailable'],
    ['DatabaseResumingException', 400, 'unavailable'],
    ['TimeoutError', 0, 'timeout'],
  ] as const)('%s (HTTP %i) → %s', (name, status, kind) => {
    expect(errorKind(sdkError(name, status))).toBe(kind);
  });

  it('falls back on the HTTP status for names it does not know', () => {
    expect(errorKind(sdkError('SomethingNew', 429))).toBe('throttled');
    expect(errorKind(sdkError('SomethingNew', 403))).toBe('access_denied');
    expect(errorKind(sdkError('SomethingNew', 502))).toBe('unavailable');
    expect(errorKind(new Error('plain'))).toBe('unknown');
  });

  it('names the service, the operation and the SDK error in the message, and keeps the cause', () => {
    const cause = sdkError('AccessDeniedException', 400, 'not authorized to perform lambda:GetFunction');
    const e = toProviderError('lambda', 'GetFunctionConfiguration', cause);
    expect(e).toBeInstanceOf(AwsProviderError);
    expect(e.message).toBe(
      'lambda.GetFunctionConfiguration failed (access_denied): AccessDeniedException: not authorized to perform lambda:GetFunction',
    );
    expect(e.cause).toBe(cause);
  });

  it('awsCall turns its own deadline into a timeout error and passes the abort signal to the call', async () => {
    let seen: AbortSignal | undefined;
    const p = awsCall(
      'cloudwatch',
      'GetMetricData',
      (signal) =>
        new Promise((_, reject) => {
          seen = signal;
          signal.addEventListener('abort', () =>
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          );
        }),
      30,
    );
    await expect(p).rejects.toMatchObject({
      kind: 'timeout',
      operation: 'GetMetricData',
      service: 'cloudwatch',
    });
    expect(seen?.aborted).toBe(true);
  });

  it('awsCall maps what the call throws', async () => {
    await expect(
      awsCall('s3', 'GetObject', async () => Promise.reject(sdkError('NoSuchKey', 404))),
    ).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('s3.GetObject failed (not_found)'),
    });
  });
});

describe('FaultInjector', () => {
  it('fails exactly the next n calls of one operation, then lets calls through', () => {
    const f = new FaultInjector('lambda');
    f.failNext('Invoke', 'throttled', 2);
    expect(() => f.check('GetFunctionConfiguration')).not.toThrow();
    expect(() => f.check('Invoke')).toThrow(
      expect.objectContaining({ kind: 'throttled', service: 'lambda' }),
    );
    expect(() => f.check('Invoke')).toThrow(AwsProviderError);
    expect(() => f.check('Invoke')).not.toThrow();
  });
});
