import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  ModifyDBClusterParameterGroupCommand,
  ModifyDBParameterGroupCommand,
  RDSClient,
  RebootDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { ExecuteStatementCommand, RDSDataClient } from '@aws-sdk/client-rds-data';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { SdkAutoScaling } from '../../../providers/aws/autoscaling/real';
import { SdkCloudWatch } from '../../../providers/aws/cloudwatch/real';
import { SdkEventBridge } from '../../../providers/aws/eventbridge/real';
import { SdkLambda } from '../../../providers/aws/lambda/real';
import { SdkCloudWatchLogs } from '../../../providers/aws/logs/real';
import { SdkRdsParameters } from '../../../providers/aws/rds-params/real';
import { SdkObjectStore } from '../../../providers/aws/s3/real';
import { SdkSecrets } from '../../../providers/aws/secrets/real';
import { SdkStepFunctions } from '../../../providers/aws/sfn/real';
import { DataApiExecutor } from '../../../providers/aws/unified-logs/data-api-executor';
import { SqlUnifiedLogProvider } from '../../../providers/aws/unified-logs/provider';
import { sdkError } from './helpers';

const region = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
const start = new Date('2026-11-26T06:00:00Z');
const end = new Date('2026-11-26T07:00:00Z');

describe('CloudWatch (SDK)', () => {
  const cw = mockClient(CloudWatchClient);
  afterEach(() => cw.reset());
  const provider = () => new SdkCloudWatch(new CloudWatchClient(region));
  const q = {
    namespace: 'AWS/Lambda',
    metric_name: 'Errors',
    dimensions: { FunctionName: 'payments-api' },
    stat: 'Sum',
    period_seconds: 300,
    start,
    end,
  };

  it('asks GetMetricData for m1 and ANOMALY_DETECTION_BAND(m1, w), and aligns the band by timestamp', async () => {
    const t1 = new Date('2026-11-26T06:05:00Z');
    const t2 = new Date('2026-11-26T06:10:00Z');
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'm1', Label: 'Errors', Timestamps: [t2, t1], Values: [9, 1], StatusCode: 'Complete' },
        // The band: two series under one id; their order and labels are not relied upon.
        {
          Id: 'ad1',
          Label: 'Errors (expected) High',
          Timestamps: [t1, t2],
          Values: [3, 3.5],
          StatusCode: 'Complete',
        },
        {
          Id: 'ad1',
          Label: 'Errors (expected) Low',
          Timestamps: [t2, t1],
          Values: [0.5, 0],
          StatusCode: 'Complete',
        },
      ],
    });
    const s = await provider().getMetricWithBand({ ...q, band_width: 2 });
    expect(s).toEqual({
      timestamps: [t1.toISOString(), t2.toISOString()],
      values: [1, 9],
      lower: [0, 0.5],
      upper: [3, 3.5],
    });
    const input = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input).toEqual({
      MetricDataQueries: [
        {
          Id: 'm1',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: 'Errors',
              Dimensions: [{ Name: 'FunctionName', Value: 'payments-api' }],
            },
            Period: 300,
            Stat: 'Sum',
          },
          ReturnData: true,
        },
        { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)', ReturnData: true },
      ],
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampAscending',
    });
  });

  it('follows NextToken pages', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'm1', Timestamps: [start], Values: [1] }], NextToken: 'p2' })
      .resolvesOnce({ MetricDataResults: [{ Id: 'm1', Timestamps: [end], Values: [2] }] });
    const s = await provider().getMetric(q);
    expect(s.values).toEqual([1, 2]);
    expect(cw.commandCalls(GetMetricDataCommand)[1]!.args[0].input.NextToken).toBe('p2');
  });

  it('sends PutMetricData in batches of at most 1000, one namespace per request', async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const data = Array.from({ length: 2001 }, (_, i) => ({
      namespace: i === 2000 ? 'Other' : 'BDPAgent',
      metric_name: 'AnomaliesDetected',
      dimensions: { Service: 'payments-api' },
      value: i,
      unit: 'Count',
    }));
    await provider().putMetricData(data);
    const calls = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.Namespace, c.MetricData?.length])).toEqual([
      ['BDPAgent', 1000],
      ['BDPAgent', 1000],
      ['Other', 1],
    ]);
    expect(calls[0]!.MetricData![0]).toEqual({
      MetricName: 'AnomaliesDetected',
      Dimensions: [{ Name: 'Service', Value: 'payments-api' }],
      Value: 0,
      Unit: 'Count',
    });
  });

  it('maps a throttled GetMetricData', async () => {
    cw.on(GetMetricDataCommand).rejects(sdkError('Throttling', 400));
    await expect(provider().getMetric(q)).rejects.toMatchObject({
      service: 'cloudwatch',
      operation: 'GetMetricData',
      kind: 'throttled',
    });
  });
});

describe('CloudWatch Logs (SDK)', () => {
  const logs = mockClient(CloudWatchLogsClient);
  afterEach(() => logs.reset());

  it('paginates FilterLogEvents up to the limit', async () => {
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [{ timestamp: 1, message: 'ERROR a', logStreamName: 's1' }], nextToken: 'n1' })
      .resolvesOnce({ events: [{ timestamp: 2, message: 'ERROR b', logStreamName: 's1' }], nextToken: 'n2' });
    const p = new SdkCloudWatchLogs(new CloudWatchLogsClient(region));
    const events = await p.filterEvents({
      log_group: '/aws/lambda/payments-api',
      filter_pattern: 'ERROR',
      start,
      end,
      limit: 2,
    });
    expect(events).toEqual([
      { timestamp: 1, message: 'ERROR a', log_stream: 's1' },
      { timestamp: 2, message: 'ERROR b', log_stream: 's1' },
    ]);
    const inputs = logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({
      logGroupName: '/aws/lambda/payments-api',
      filterPattern: 'ERROR',
      startTime: start.getTime(),
      endTime: end.getTime(),
      limit: 2,
    });
    expect(inputs[1]).toMatchObject({ nextToken: 'n1', limit: 1 });
    expect(inputs).toHaveLength(2);
  });

  it('runs an Insights query to completion with bounded polling', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Running' })
      .resolvesOnce({
        status: 'Complete',
        results: [
          [
            { field: '@timestamp', value: '2026-11-26 06:30:00.000' },
            { field: '@message', value: 'ERROR boom' },
            { field: '@ptr', value: 'opaque' },
          ],
        ],
      });
    const p = new SdkCloudWatchLogs(new CloudWatchLogsClient(region), { timeoutMs: 1000, intervalMs: 1 });
    const rows = await p.insightsQuery({
      log_groups: ['/ecs/stream-consumer'],
      query: 'fields @timestamp, @message | limit 5',
      start,
      end,
    });
    expect(rows).toEqual([{ '@timestamp': '2026-11-26 06:30:00.000', '@message': 'ERROR boom' }]);
    expect(logs.commandCalls(StartQueryCommand)[0]!.args[0].input).toEqual({
      logGroupNames: ['/ecs/stream-consumer'],
      queryString: 'fields @timestamp, @message | limit 5',
      startTime: start.getTime() / 1000,
      endTime: end.getTime() / 1000,
    });
  });

  it('stops a query that does not finish in time and reports a timeout', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-2' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    logs.on(StopQueryCommand).resolves({ success: true });
    const p = new SdkCloudWatchLogs(new CloudWatchLogsClient(region), { timeoutMs: 30, intervalMs: 5 });
    await expect(
      p.insightsQuery({ log_groups: ['g'], query: 'fields @message', start, end }),
    ).rejects.toMatchObject({ kind: 'timeout' });
    expect(logs.commandCalls(StopQueryCommand)[0]!.args[0].input).toEqual({ queryId: 'q-2' });
  });
});

describe('Lambda (SDK)', () => {
  const lambda = mockClient(LambdaClient);
  afterEach(() => lambda.reset());
  const p = () => new SdkLambda(new LambdaClient(region));

  it('invokes asynchronously with InvocationType Event and a JSON payload', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await p().invokeAsync('bdp-bot-worker', { kind: 'analyze', id: 'i-1' });
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input.FunctionName).toBe('bdp-bot-worker');
    expect(input.InvocationType).toBe('Event');
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual({
      kind: 'analyze',
      id: 'i-1',
    });
  });

  it('sends only the fields being changed to UpdateFunctionConfiguration', async () => {
    lambda
      .on(UpdateFunctionConfigurationCommand)
      .resolves({ FunctionName: 'payments-api', MemorySize: 1024, Timeout: 30 });
    const fn = await p().updateFunction('payments-api', { environment: { RESTARTED_AT: 'now' } });
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'payments-api',
      Environment: { Variables: { RESTARTED_AT: 'now' } },
    });
    expect(fn.memory_mb).toBe(1024);
  });

  it('maps a missing function to not_found', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .rejects(sdkError('ResourceNotFoundException', 404, 'Function not found'));
    await expect(p().getFunction('nope')).rejects.toMatchObject({
      kind: 'not_found',
      operation: 'GetFunctionConfiguration',
    });
  });
});

describe('EventBridge (SDK)', () => {
  const eb = mockClient(EventBridgeClient);
  afterEach(() => eb.reset());

  it('puts events on the configured bus in batches of 10', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const events = Array.from({ length: 11 }, (_, i) => ({
      source: 'bdp.agent',
      detail_type: 'ALERT',
      detail: { n: i },
    }));
    await new SdkEventBridge(new EventBridgeClient(region), 'bdp-events').putEvents(events);
    const calls = eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!);
    expect(calls.map((c) => c.length)).toEqual([10, 1]);
    expect(calls[1]![0]).toEqual({
      EventBusName: 'bdp-events',
      Source: 'bdp.agent',
      DetailType: 'ALERT',
      Detail: '{"n":10}',
    });
  });

  it('surfaces failed entries as an error (a 200 answer is not success)', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'e1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    const put = new SdkEventBridge(new EventBridgeClient(region), 'bdp-events').putEvents([
      { source: 'bdp.agent', detail_type: 'ALERT', detail: {} },
      { source: 'bdp.agent', detail_type: 'RETRY_JOB', detail: {} },
    ]);
    await expect(put).rejects.toMatchObject({
      kind: 'throttled',
      message: expect.stringContaining(
        '1 of 2 entries failed: RETRY_JOB: ThrottlingException (Rate exceeded)',
      ),
    });
  });
});

describe('Step Functions (SDK)', () => {
  const sfn = mockClient(SFNClient);
  afterEach(() => sfn.reset());
  const p = () => new SdkStepFunctions(new SFNClient(region));

  it('starts an execution with JSON input and a name', async () => {
    sfn.on(StartExecutionCommand).resolves({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:main:run-1',
      startDate: start,
    });
    const out = await p().startExecution(
      'arn:aws:states:us-east-1:123456789012:stateMachine:main',
      { a: 1 },
      'run-1',
    );
    expect(out.execution_arn).toBe('arn:aws:states:us-east-1:123456789012:execution:main:run-1');
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toEqual({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:main',
      input: '{"a":1}',
      name: 'run-1',
    });
  });

  it('completes task tokens, truncating an over-long error', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    await p().sendTaskSuccess('tok', { approved: true });
    await p().sendTaskFailure('tok2', 'E'.repeat(300), 'why');
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toEqual({
      taskToken: 'tok',
      output: '{"approved":true}',
    });
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input.error).toHaveLength(256);
  });

  it('maps TaskDoesNotExist and InvalidToken', async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejectsOnce(sdkError('TaskDoesNotExist'))
      .rejectsOnce(sdkError('InvalidToken'));
    await expect(p().sendTaskSuccess('gone', {})).rejects.toMatchObject({ kind: 'not_found' });
    await expect(p().sendTaskSuccess('junk', {})).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('RDS parameters (SDK)', () => {
  const rds = mockClient(RDSClient);
  afterEach(() => rds.reset());
  const p = () => new SdkRdsParameters(new RDSClient(region));

  it('reads one parameter with a parameter-name filter', async () => {
    rds
      .on(DescribeDBClusterParametersCommand)
      .resolves({ Parameters: [{ ParameterName: 'max_connections', ParameterValue: '200' }] });
    expect(await p().getParameter('orders-db-params', 'max_connections')).toBe('200');
    expect(rds.commandCalls(DescribeDBClusterParametersCommand)[0]!.args[0].input).toEqual({
      DBClusterParameterGroupName: 'orders-db-params',
      Filters: [{ Name: 'parameter-name', Values: ['max_connections'] }],
    });
  });

  it('modifies a cluster group with ApplyMethod immediate, falling back to an instance group', async () => {
    rds.on(ModifyDBClusterParameterGroupCommand).rejects(sdkError('DBParameterGroupNotFound', 404));
    rds.on(ModifyDBParameterGroupCommand).resolves({ DBParameterGroupName: 'inst-params' });
    await p().setParameter('inst-params', 'work_mem', '8192');
    const expected = [{ ParameterName: 'work_mem', ParameterValue: '8192', ApplyMethod: 'immediate' }];
    expect(rds.commandCalls(ModifyDBClusterParameterGroupCommand)[0]!.args[0].input).toEqual({
      DBClusterParameterGroupName: 'inst-params',
      Parameters: expected,
    });
    expect(rds.commandCalls(ModifyDBParameterGroupCommand)[0]!.args[0].input).toEqual({
      DBParameterGroupName: 'inst-params',
      Parameters: expected,
    });
  });

  it('reads ApplyType: dynamic applies immediately, static (or unknown) needs a reboot', async () => {
    rds
      .on(DescribeDBClusterParametersCommand, {
        Filters: [{ Name: 'parameter-name', Values: ['max_connections'] }],
      })
      .resolves({
        Parameters: [
          {
            ParameterName: 'max_connections',
            ParameterValue: '100',
            ApplyType: 'static',
            IsModifiable: true,
          },
        ],
      })
      .on(DescribeDBClusterParametersCommand, { Filters: [{ Name: 'parameter-name', Values: ['work_mem'] }] })
      .resolves({ Parameters: [{ ParameterName: 'work_mem', ParameterValue: '4096', ApplyType: 'dynamic' }] })
      .on(DescribeDBClusterParametersCommand, { Filters: [{ Name: 'parameter-name', Values: ['odd'] }] })
      .resolves({ Parameters: [{ ParameterName: 'odd', ParameterValue: '1' }] });
    expect(await p().describeParameter('orders-db-params', 'max_connections')).toEqual({
      name: 'max_connections',
      value: '100',
      apply_type: 'static',
      is_modifiable: true,
    });
    expect((await p().describeParameter('orders-db-params', 'work_mem'))?.apply_type).toBe('dynamic');
    expect((await p().describeParameter('orders-db-params', 'odd'))?.apply_type).toBe('static');
  });

  it('modifies a static parameter with ApplyMethod pending-reboot', async () => {
    rds
      .on(ModifyDBClusterParameterGroupCommand)
      .resolves({ DBClusterParameterGroupName: 'orders-db-params' });
    await p().setParameter('orders-db-params', 'max_connections', '200', 'pending-reboot');
    expect(rds.commandCalls(ModifyDBClusterParameterGroupCommand)[0]!.args[0].input).toEqual({
      DBClusterParameterGroupName: 'orders-db-params',
      Parameters: [
        { ParameterName: 'max_connections', ParameterValue: '200', ApplyMethod: 'pending-reboot' },
      ],
    });
  });

  it("finds the cluster's writer and whether it waits for a reboot, then reboots that instance", async () => {
    rds
      .on(DescribeDBClustersCommand)
      .resolves({
        DBClusters: [
          {
            DBClusterIdentifier: 'orders-db',
            DBClusterParameterGroup: 'orders-db-params',
            DBClusterMembers: [
              { DBInstanceIdentifier: 'orders-db-2', IsClusterWriter: false },
              {
                DBInstanceIdentifier: 'orders-db-1',
                IsClusterWriter: true,
                DBClusterParameterGroupStatus: 'pending-reboot',
              },
            ],
          },
        ],
      })
      .on(DescribeDBInstancesCommand)
      .resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders-db-1', DBInstanceStatus: 'available' }] })
      .on(RebootDBInstanceCommand)
      .resolves({});
    expect(await p().clusterWriter('orders-db')).toEqual({
      cluster_id: 'orders-db',
      instance_id: 'orders-db-1',
      status: 'available',
      parameter_group: 'orders-db-params',
      pending_reboot: true,
    });
    expect(rds.commandCalls(DescribeDBClustersCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: 'orders-db',
    });
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders-db-1',
    });
    await p().rebootInstance('orders-db-1');
    expect(rds.commandCalls(RebootDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders-db-1',
    });
  });

  it('reads an instance group when no cluster group has the name', async () => {
    rds.on(DescribeDBClusterParametersCommand).rejects(sdkError('DBParameterGroupNotFound', 404));
    rds
      .on(DescribeDBParametersCommand)
      .resolves({ Parameters: [{ ParameterName: 'work_mem', ParameterValue: '4096' }] });
    expect(await p().getParameter('inst-params', 'work_mem')).toBe('4096');
  });
});

describe('Auto Scaling (SDK)', () => {
  const ecs = mockClient(ECSClient);
  const aas = mockClient(ApplicationAutoScalingClient);
  afterEach(() => {
    ecs.reset();
    aas.reset();
  });
  const p = () => new SdkAutoScaling(new ECSClient(region), new ApplicationAutoScalingClient(region));
  const id = 'service/bdp-cluster/stream-consumer';

  it('reads desired from ECS and min/max from the scalable target', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'stream-consumer', desiredCount: 2, status: 'ACTIVE' }] });
    aas.on(DescribeScalableTargetsCommand).resolves({
      ScalableTargets: [{ MinCapacity: 1, MaxCapacity: 20 } as never],
    });
    expect(await p().getCapacity('ecs_service', id)).toEqual({ desired: 2, min: 1, max: 20 });
    expect(ecs.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({
      cluster: 'bdp-cluster',
      services: ['stream-consumer'],
    });
    expect(aas.commandCalls(DescribeScalableTargetsCommand)[0]!.args[0].input).toEqual({
      ServiceNamespace: 'ecs',
      ResourceIds: [id],
      ScalableDimension: 'ecs:service:DesiredCount',
    });
  });

  it('raises max through RegisterScalableTarget before UpdateService sets desiredCount', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'stream-consumer', desiredCount: 2, status: 'ACTIVE' }] });
    aas
      .on(DescribeScalableTargetsCommand)
      .resolves({ ScalableTargets: [{ MinCapacity: 1, MaxCapacity: 4 } as never] });
    aas.on(RegisterScalableTargetCommand).resolves({});
    ecs.on(UpdateServiceCommand).resolves({});
    expect(await p().setCapacity('ecs_service', id, { desired: 6, max: 8 })).toEqual({
      desired: 6,
      min: 1,
      max: 8,
    });
    expect(aas.commandCalls(RegisterScalableTargetCommand)[0]!.args[0].input).toEqual({
      ServiceNamespace: 'ecs',
      ResourceId: id,
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 1,
      MaxCapacity: 8,
    });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({
      cluster: 'bdp-cluster',
      service: 'stream-consumer',
      desiredCount: 6,
    });
  });

  it('refuses a desired count outside [min, max] before sending anything', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'stream-consumer', desiredCount: 2, status: 'ACTIVE' }] });
    aas
      .on(DescribeScalableTargetsCommand)
      .resolves({ ScalableTargets: [{ MinCapacity: 1, MaxCapacity: 4 } as never] });
    await expect(p().setCapacity('ecs_service', id, { desired: 9 })).rejects.toMatchObject({
      kind: 'validation',
    });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('a scalable target (<ResourceId>|<ScalableDimension>) scales by moving its floor', async () => {
    const tid = 'table/orders|dynamodb:table:ReadCapacityUnits';
    aas
      .on(DescribeScalableTargetsCommand)
      .resolves({ ScalableTargets: [{ MinCapacity: 5, MaxCapacity: 100 } as never] });
    aas.on(RegisterScalableTargetCommand).resolves({});
    expect(await p().getCapacity('scalable_target', tid)).toEqual({ desired: 5, min: 5, max: 100 });
    expect(await p().setCapacity('scalable_target', tid, { desired: 20 })).toEqual({
      desired: 20,
      min: 20,
      max: 100,
    });
    expect(aas.commandCalls(DescribeScalableTargetsCommand)[0]!.args[0].input).toEqual({
      ServiceNamespace: 'dynamodb',
      ResourceIds: ['table/orders'],
      ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
    });
    expect(aas.commandCalls(RegisterScalableTargetCommand)[0]!.args[0].input).toEqual({
      ServiceNamespace: 'dynamodb',
      ResourceId: 'table/orders',
      ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
      MinCapacity: 20,
      MaxCapacity: 100,
    });
    await expect(p().getCapacity('scalable_target', 'table/orders')).rejects.toMatchObject({
      kind: 'validation',
    });
  });

  it('reports a missing ECS service as not_found', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    await expect(p().getCapacity('ecs_service', id)).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('MISSING'),
    });
  });
});

describe('S3 and Secrets Manager (SDK)', () => {
  const s3 = mockClient(S3Client);
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => {
    s3.reset();
    sm.reset();
  });

  it('lists every page of keys and reads an object as text', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'runbooks/a.md' }], IsTruncated: true, NextContinuationToken: 'c1' })
      .resolvesOnce({ Contents: [{ Key: 'runbooks/b.md' }], IsTruncated: false });
    // The SDK's stream body, reduced to the method the provider calls.
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => '# Runbook\n' } as never });
    const p = new SdkObjectStore(new S3Client(region));
    expect(await p.list('kb', 'runbooks/')).toEqual(['runbooks/a.md', 'runbooks/b.md']);
    expect(s3.commandCalls(ListObjectsV2Command)[1]!.args[0].input).toEqual({
      Bucket: 'kb',
      Prefix: 'runbooks/',
      ContinuationToken: 'c1',
    });
    expect(await p.getText('kb', 'runbooks/a.md')).toBe('# Runbook\n');
  });

  it('caches a secret for five minutes', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'v1' }).resolvesOnce({ SecretString: 'v2' });
    let now = 0;
    const p = new SdkSecrets(new SecretsManagerClient(region), () => now);
    expect(await p.getSecret('slack')).toBe('v1');
    now = 4 * 60_000;
    expect(await p.getSecret('slack')).toBe('v1');
    now = 6 * 60_000;
    expect(await p.getSecret('slack')).toBe('v2');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('Unified logs over the Data API (SDK)', () => {
  const data = mockClient(RDSDataClient);
  afterEach(() => data.reset());
  const target = {
    resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:logs',
    secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:logs',
    database: 'bdp',
  };

  it('sends the error-count query with typed TIMESTAMP parameters and reads JSON records', async () => {
    data.on(ExecuteStatementCommand).resolves({
      formattedRecords: JSON.stringify([
        { service_name: 'payments-api', window_errors: 7, baseline_errors: 3 },
      ]),
    });
    const p = new SqlUnifiedLogProvider(
      new DataApiExecutor(new RDSDataClient(region), target),
      'unified_logs',
    );
    const counts = await p.errorCounts({
      baseline_start: start,
      window_start: new Date('2026-11-26T06:50:00Z'),
      end,
    });
    expect(counts).toEqual([{ service_name: 'payments-api', window_errors: 7, baseline_errors: 3 }]);
    const input = data.commandCalls(ExecuteStatementCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ ...target, formatRecordsAs: 'JSON' });
    expect(input.sql).toContain('FROM unified_logs');
    expect(input.parameters).toEqual([
      { name: 'window_start', value: { stringValue: '2026-11-26 06:50:00.000' }, typeHint: 'TIMESTAMP' },
      { name: 'baseline_start', value: { stringValue: '2026-11-26 06:00:00.000' }, typeHint: 'TIMESTAMP' },
      { name: 'end', value: { stringValue: '2026-11-26 07:00:00.000' }, typeHint: 'TIMESTAMP' },
    ]);
  });

  it('types long, double, boolean and null parameters', async () => {
    data.on(ExecuteStatementCommand).resolves({});
    await new DataApiExecutor(new RDSDataClient(region), target).execute('SELECT :a, :b, :c, :d', {
      a: 5,
      b: 0.5,
      c: true,
      d: null,
    });
    expect(data.commandCalls(ExecuteStatementCommand)[0]!.args[0].input.parameters).toEqual([
      { name: 'a', value: { longValue: 5 } },
      { name: 'b', value: { doubleValue: 0.5 } },
      { name: 'c', value: { booleanValue: true } },
      { name: 'd', value: { isNull: true } },
    ]);
  });

  it('retries while Aurora resumes, then gives up with the mapped error', async () => {
    data.on(ExecuteStatementCommand).rejects(sdkError('DatabaseResumingException'));
    const sleeps: number[] = [];
    const ex = new DataApiExecutor(new RDSDataClient(region), target, async (ms) => {
      sleeps.push(ms);
    });
    await expect(ex.execute('SELECT 1')).rejects.toMatchObject({
      kind: 'unavailable',
      operation: 'ExecuteStatement',
    });
    expect(sleeps).toEqual([1000, 2000]);
    expect(data.commandCalls(ExecuteStatementCommand)).toHaveLength(3);
  });

  it('parses Data API timestamps as UTC and keeps rows with bad metadata', async () => {
    data.on(ExecuteStatementCommand).resolves({
      formattedRecords: JSON.stringify([
        {
          id: 2,
          timestamp: '2026-11-26 06:59:00.5',
          service_name: 'x',
          log_level: 'ERROR',
          message: 'm',
          metadata: '{oops',
        },
      ]),
    });
    const p = new SqlUnifiedLogProvider(
      new DataApiExecutor(new RDSDataClient(region), target),
      'unified_logs',
    );
    const rows = await p.recentLogs({ service_name: 'x', levels: ['ERROR'], since: start, limit: 5 });
    expect(rows).toEqual([
      {
        id: '2',
        timestamp: '2026-11-26T06:59:00.500Z',
        service_name: 'x',
        log_level: 'ERROR',
        message: 'm',
        metadata: null,
        metadata_unparsed: '{oops',
      },
    ]);
  });
});
