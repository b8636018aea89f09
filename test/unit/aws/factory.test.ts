import { request } from 'node:http';
import {
  createAwsProviders,
  createMockAwsProviders,
  MockCloudWatch,
  MockLambda,
} from '../../../providers/aws';
import '../../../providers/aws/clients/all';
import { SdkCloudWatch } from '../../../providers/aws/cloudwatch/real';
import { createRealAwsProviders } from '../../../providers/aws/real';
import { loadConfig } from '../../../providers/config';
import { loadPolicy } from '../../../providers/policy';

const refused = (endpoint: string) =>
  new Promise<boolean>((resolve) => {
    const req = request(endpoint, { method: 'POST' }, () => resolve(false));
    req.on('error', () => resolve(true));
    req.end();
  });

describe('createAwsProviders', () => {
  it('AWS_MOCK=true gives the local mocks, and close() stops the local DynamoDB', async () => {
    const aws = await createAwsProviders(loadConfig({ AWS_MOCK: 'true' }));
    try {
      expect(aws.cloudwatch).toBeInstanceOf(MockCloudWatch);
      expect(aws.lambda).toBeInstanceOf(MockLambda);
      expect(await aws.dynamo.put('anomaly_tracking', { signature: 's' })).toMatchObject({ ok: true });
    } finally {
      await aws.close();
    }
    const endpoint = (aws as unknown as { dynamoEndpoint: string }).dynamoEndpoint;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await refused(endpoint)).toBe(true);
  });

  it('AWS_MOCK=false builds the real SDK providers without calling AWS', async () => {
    const aws = await createAwsProviders(
      loadConfig({
        AWS_MOCK: 'false',
        AWS_REGION: 'eu-west-1',
        RDS_CLUSTER_ARN: 'arn:aws:rds:eu-west-1:123456789012:cluster:logs',
        RDS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:logs',
      }),
    );
    expect(aws.cloudwatch).toBeInstanceOf(SdkCloudWatch);
    expect(aws.dynamo.tableName('remediation_history')).toBe('bdp-remediation-history');
    await aws.close();
  });

  const realConfig = loadConfig({
    AWS_MOCK: 'false',
    RDS_CLUSTER_ARN: 'arn:aws:rds:us-east-1:123456789012:cluster:logs',
    RDS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:logs',
  });

  it('AWS_MOCK=false builds each client on first use, once', () => {
    const built: string[] = [];
    const aws = createRealAwsProviders(realConfig, {
      cloudwatch: () => {
        built.push('cloudwatch');
        return {} as never;
      },
      sfn: () => {
        built.push('sfn');
        return {} as never;
      },
    });
    expect(built).toEqual([]);
    expect(aws.cloudwatch).toBe(aws.cloudwatch);
    expect(built).toEqual(['cloudwatch']);
  });

  it('AWS_MOCK=false: a service no loaded module registered fails on use, naming it', () => {
    const aws = createRealAwsProviders(realConfig, {});
    expect(() => aws.rdsParams).toThrow(/no real rdsParams client in this entry point/);
  });
});

describe('createMockAwsProviders', () => {
  it('seeds the catalog, the policy targets and the given data, stamped by the given clock', async () => {
    const now = new Date('2026-11-26T07:00:00Z');
    const aws = await createMockAwsProviders({
      now: () => now,
      seed: {
        metrics: [
          {
            namespace: 'AWS/Lambda',
            metric_name: 'Errors',
            dimensions: { FunctionName: 'payments-api' },
            value: 3,
          },
        ],
        logs: { '/aws/lambda/payments-api': [{ message: 'ERROR boom' }] },
        objects: { kb: { 'runbooks/a.md': '# A' } },
        secrets: { 'bdp/slack': 'xoxb-test' },
      },
    });
    try {
      const policy = loadPolicy();
      expect(aws.lambda.functionNames()).toEqual(['ingest-worker', 'payments-api']);
      expect(
        await aws.rdsParams.getParameter(
          policy.actions.rds_parameter.default_parameter_group,
          'max_connections',
        ),
      ).toBe('100');
      for (const t of policy.actions.auto_scaling.targets) {
        expect(await aws.autoScaling.getCapacity(t.resource_type, t.resource_id)).toEqual({
          desired: 2,
          min: t.min_capacity,
          max: t.max_capacity,
        });
      }
      expect(aws.cloudwatch.datapoints('AWS/Lambda', 'Errors', { FunctionName: 'payments-api' })).toEqual([
        { timestamp: now, value: 3 },
      ]);
      expect(aws.logs.events('/aws/lambda/payments-api')).toEqual([
        { timestamp: now.getTime(), message: 'ERROR boom', log_stream: 'mock-stream' },
      ]);
      // Every catalog log group exists (empty), so filtering it is not an error.
      expect(
        await aws.logs.filterEvents({
          log_group: '/ecs/stream-consumer',
          filter_pattern: 'ERROR',
          start: new Date(0),
          end: now,
        }),
      ).toEqual([]);
      expect(await aws.objects.getText('kb', 'runbooks/a.md')).toBe('# A');
      expect(await aws.secrets.getSecret('bdp/slack')).toBe('xoxb-test');
      await aws.autoScaling.setCapacity('ecs_service', policy.actions.auto_scaling.targets[0]!.resource_id, {
        desired: 3,
      });
      expect(aws.autoScaling.changes).toHaveLength(1);
      expect(aws.autoScaling.changes[0]!.at).toEqual(now);
    } finally {
      await aws.close();
    }
  });

  it('two instances do not share state', async () => {
    const [a, b] = await Promise.all([createMockAwsProviders(), createMockAwsProviders()]);
    try {
      await a.dynamo.put('anomaly_tracking', { signature: 'only-in-a' });
      expect(await b.dynamo.get('anomaly_tracking', { signature: 'only-in-a' })).toBeUndefined();
      await a.rdsParams.setParameter('orders-db-params', 'max_connections', '300', 'pending-reboot');
      expect(await b.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe('100');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
