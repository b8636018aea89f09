import { withRetry } from '../../../pipeline/remediation/retry';
import { AwsProviderError } from '../../../providers/aws';
import { awsCall } from '../../../providers/aws/shared';
import { MAX_ATTEMPTS, sdkClientConfig } from '../../../providers/aws/shared/client-config';

/** One retry layer per call path: an AWS request is retried by its SDK only; mocks are retried by withRetry. */
describe('retry layers', () => {
  const throttling = Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400, attempts: MAX_ATTEMPTS },
  });

  test('an AWS request the SDK already retried is not retried again by withRetry', async () => {
    let calls = 0;
    const err = await withRetry(
      'CloudWatch GetMetricData',
      () =>
        awsCall('cloudwatch', 'GetMetricData', async () => {
          calls++;
          throw throttling;
        }),
      { base_ms: 1 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(err).toBeInstanceOf(AwsProviderError);
    expect(err).toMatchObject({ kind: 'throttled', sdkRetried: true });
    // The SDK layer itself: standard mode, bounded attempts.
    expect(sdkClientConfig({ AWS_REGION: 'us-east-1' })).toMatchObject({
      maxAttempts: 3,
      retryMode: 'standard',
    });
  });

  test('a call with no SDK below it (the in-memory providers) is retried here, up to 3 attempts', async () => {
    let calls = 0;
    await expect(
      withRetry(
        'mock read',
        async () => {
          calls++;
          throw new AwsProviderError('cloudwatch', 'GetMetricData', 'throttled', 'injected');
        },
        { base_ms: 1 },
      ),
    ).rejects.toThrow(/mock read: cloudwatch.GetMetricData failed \(throttled\)/);
    expect(calls).toBe(3);
  });

  test('a permanent error is never retried, whatever the path', async () => {
    let calls = 0;
    await expect(
      withRetry('read', async () => {
        calls++;
        throw new AwsProviderError('rds', 'DescribeDBClusters', 'access_denied', 'no');
      }),
    ).rejects.toThrow(/access_denied/);
    expect(calls).toBe(1);
  });
});
