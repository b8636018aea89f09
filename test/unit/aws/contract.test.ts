/**
 * One contract, two implementations: the real SDK providers (behind aws-sdk-client-mock with a small
 * stateful fake of each service) and the mocks from createMockAwsProviders. Where the semantics can be
 * shared, both must behave the same, so code tested against the mocks behaves the same in AWS.
 */
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  DescribeDBClusterParametersCommand,
  DescribeDBParametersCommand,
  ModifyDBClusterParameterGroupCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import type {
  AutoScalingProvider,
  EventBridgeProvider,
  LambdaProvider,
  RdsParameterProvider,
} from '../../../providers/aws';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { SdkAutoScaling } from '../../../providers/aws/autoscaling/real';
import { SdkEventBridge } from '../../../providers/aws/eventbridge/real';
import { SdkLambda } from '../../../providers/aws/lambda/real';
import { SdkRdsParameters } from '../../../providers/aws/rds-params/real';
import { sdkError } from './helpers';

interface Harness {
  lambda: LambdaProvider;
  rdsParams: RdsParameterProvider;
  autoScaling: AutoScalingProvider;
  events: EventBridgeProvider;
  /** What reached the bus: [source, detail-type, detail]. */
  published(): [string, string, Record<string, unknown>][];
}

const region = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
const SERVICE = 'service/bdp-cluster/stream-consumer';

const lambdaMock = mockClient(LambdaClient);
const rdsMock = mockClient(RDSClient);
const ecsMock = mockClient(ECSClient);
const aasMock = mockClient(ApplicationAutoScalingClient);
const ebMock = mockClient(EventBridgeClient);

/** The real providers over fakes holding the same starting state the mock factory seeds. */
function realHarness(): Harness {
  for (const m of [lambdaMock, rdsMock, ecsMock, aasMock, ebMock]) m.reset();
  const fns = new Map([
    [
      'payments-api',
      {
        FunctionName: 'payments-api',
        MemorySize: 512,
        Timeout: 30,
        Description: '',
        Environment: { Variables: {} as Record<string, string> },
      },
    ],
  ]);
  const params = new Map([['orders-db-params', new Map([['max_connections', '100']])]]);
  const ecs = { desiredCount: 2 };
  const target = { MinCapacity: 1, MaxCapacity: 20 };
  const bus: [string, string, Record<string, unknown>][] = [];

  lambdaMock.on(GetFunctionConfigurationCommand).callsFake((i: { FunctionName: string }) => {
    const f = fns.get(i.FunctionName);
    if (!f) throw sdkError('ResourceNotFoundException', 404, `Function not found: ${i.FunctionName}`);
    return structuredClone(f);
  });
  lambdaMock
    .on(UpdateFunctionConfigurationCommand)
    .callsFake(
      (i: {
        FunctionName: string;
        MemorySize?: number;
        Environment?: { Variables: Record<string, string> };
      }) => {
        const f = fns.get(i.FunctionName);
        if (!f) throw sdkError('ResourceNotFoundException', 404);
        if (i.MemorySize !== undefined) f.MemorySize = i.MemorySize;
        if (i.Environment) f.Environment = { Variables: { ...i.Environment.Variables } };
        return structuredClone(f);
      },
    );
  rdsMock
    .on(DescribeDBClusterParametersCommand)
    .callsFake((i: { DBClusterParameterGroupName: string; Filters?: { Values: string[] }[] }) => {
      const g = params.get(i.DBClusterParameterGroupName);
      if (!g) throw sdkError('DBParameterGroupNotFound', 404);
      const wanted = i.Filters?.[0]?.Values ?? [...g.keys()];
      return {
        Parameters: wanted
          .filter((n) => g.has(n))
          .map((n) => ({ ParameterName: n, ParameterValue: g.get(n) })),
      };
    });
  rdsMock
    .on(ModifyDBClusterParameterGroupCommand)
    .callsFake(
      (i: {
        DBClusterParameterGroupName: string;
        Parameters: { ParameterName: string; ParameterValue: string }[];
      }) => {
        const g = params.get(i.DBClusterParameterGroupName);
        if (!g) throw sdkError('DBParameterGroupNotFound', 404);
        for (const p of i.Parameters) g.set(p.ParameterName, p.ParameterValue);
        return { DBClusterParameterGroupName: i.DBClusterParameterGroupName };
      },
    );
  // No instance parameter groups exist in this account.
  rdsMock.on(DescribeDBParametersCommand).rejects(sdkError('DBParameterGroupNotFound', 404));
  ecsMock
    .on(DescribeServicesCommand)
    .callsFake((i: { services: string[] }) =>
      i.services[0] === 'stream-consumer'
        ? { services: [{ serviceName: 'stream-consumer', status: 'ACTIVE', desiredCount: ecs.desiredCount }] }
        : { services: [], failures: [{ reason: 'MISSING' }] },
    );
  ecsMock.on(UpdateServiceCommand).callsFake((i: { desiredCount: number }) => {
    ecs.desiredCount = i.desiredCount;
    return {};
  });
  aasMock.on(DescribeScalableTargetsCommand).callsFake((i: { ResourceIds: string[] }) => ({
    ScalableTargets: i.ResourceIds[0] === SERVICE ? [{ ...target }] : [],
  }));
  aasMock.on(RegisterScalableTargetCommand).callsFake((i: { MinCapacity: number; MaxCapacity: number }) => {
    target.MinCapacity = i.MinCapacity;
    target.MaxCapacity = i.MaxCapacity;
    return {};
  });
  ebMock
    .on(PutEventsCommand)
    .callsFake((i: { Entries: { Source: string; DetailType: string; Detail: string }[] }) => {
      for (const e of i.Entries) bus.push([e.Source, e.DetailType, JSON.parse(e.Detail)]);
      return { FailedEntryCount: 0, Entries: i.Entries.map((_, n) => ({ EventId: `e${n}` })) };
    });

  return {
    lambda: new SdkLambda(new LambdaClient(region)),
    rdsParams: new SdkRdsParameters(new RDSClient(region)),
    autoScaling: new SdkAutoScaling(new ECSClient(region), new ApplicationAutoScalingClient(region)),
    events: new SdkEventBridge(new EventBridgeClient(region), 'bdp-events'),
    published: () => bus,
  };
}

let mocks: MockAwsProviders | undefined;
async function mockHarness(): Promise<Harness> {
  await mocks?.close();
  mocks = await createMockAwsProviders();
  const m = mocks;
  return { ...m, published: () => m.events.published.map((e) => [e.source, e.detail_type, e.detail]) };
}
afterAll(async () => {
  await mocks?.close();
});

describe.each([
  ['real SDK providers (client mock)', async () => realHarness()],
  ['mock providers', mockHarness],
])('contract: %s', (_name, make) => {
  let h: Harness;
  beforeEach(async () => {
    h = await make();
  });

  it('Lambda: reads a function, updates memory and environment, and reads the change back', async () => {
    expect(await h.lambda.getFunction('payments-api')).toMatchObject({
      function_name: 'payments-api',
      memory_mb: 512,
      timeout_s: 30,
    });
    const updated = await h.lambda.updateFunction('payments-api', {
      memory_mb: 1024,
      environment: { RESTART_TOKEN: 'r1' },
    });
    expect(updated).toMatchObject({ memory_mb: 1024, environment: { RESTART_TOKEN: 'r1' } });
    await h.lambda.updateFunction('payments-api', { environment: { OTHER: '1' } });
    expect((await h.lambda.getFunction('payments-api')).environment).toEqual({ OTHER: '1' });
    await expect(h.lambda.getFunction('no-such-fn')).rejects.toMatchObject({
      service: 'lambda',
      kind: 'not_found',
    });
  });

  it('RDS parameters: get, set, get again; unknown names and groups', async () => {
    expect(await h.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe('100');
    await h.rdsParams.setParameter('orders-db-params', 'max_connections', '200', 'pending-reboot');
    expect(await h.rdsParams.getParameter('orders-db-params', 'max_connections')).toBe('200');
    expect(await h.rdsParams.getParameter('orders-db-params', 'no_such_param')).toBeUndefined();
    await expect(h.rdsParams.getParameter('no-such-group', 'max_connections')).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('capacity: get, scale within bounds, refuse outside bounds, raise max and scale', async () => {
    expect(await h.autoScaling.getCapacity('ecs_service', SERVICE)).toEqual({ desired: 2, min: 1, max: 20 });
    expect(await h.autoScaling.setCapacity('ecs_service', SERVICE, { desired: 4 })).toEqual({
      desired: 4,
      min: 1,
      max: 20,
    });
    expect(await h.autoScaling.getCapacity('ecs_service', SERVICE)).toEqual({ desired: 4, min: 1, max: 20 });
    await expect(h.autoScaling.setCapacity('ecs_service', SERVICE, { desired: 25 })).rejects.toMatchObject({
      kind: 'validation',
    });
    expect((await h.autoScaling.getCapacity('ecs_service', SERVICE)).desired).toBe(4);
    await h.autoScaling.setCapacity('ecs_service', SERVICE, { desired: 25, max: 30 });
    expect(await h.autoScaling.getCapacity('ecs_service', SERVICE)).toEqual({ desired: 25, min: 1, max: 30 });
    await expect(h.autoScaling.getCapacity('ecs_service', 'service/bdp-cluster/ghost')).rejects.toMatchObject(
      { kind: 'not_found' },
    );
  });

  it('events: what is put reaches the bus, in order, detail intact', async () => {
    const events = Array.from({ length: 12 }, (_, i) => ({
      source: 'bdp.agent',
      detail_type: i === 0 ? 'PAUSE_INGESTION' : 'ALERT',
      detail: { n: i },
    }));
    await h.events.putEvents(events);
    const bus = h.published();
    expect(bus).toHaveLength(12);
    expect(bus[0]).toEqual(['bdp.agent', 'PAUSE_INGESTION', { n: 0 }]);
    expect(bus[11]).toEqual(['bdp.agent', 'ALERT', { n: 11 }]);
  });
});
