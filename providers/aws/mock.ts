import { type Config, DEFAULT_SERVICES, loadConfig } from '../config';
import type { ServiceCatalog } from '../domain';
import { loadPolicy, type RemediationPolicy } from '../policy';
import { MockAutoScaling } from './autoscaling/mock';
import { MockCloudWatch } from './cloudwatch/mock';
import { MockDbSessions } from './db-sessions/mock';
import { startLocalDynamo } from './dynamodb/local';
import { DocumentDynamoProvider } from './dynamodb/provider';
import { MockEventBridge } from './eventbridge/mock';
import { MockLambda } from './lambda/mock';
import { MockCloudWatchLogs, type NewLogEvent } from './logs/mock';
import { MockRdsParameters } from './rds-params/mock';
import { MockObjectStore } from './s3/mock';
import { MockSecrets } from './secrets/mock';
import { MockStepFunctions } from './sfn/mock';
import type { AwsProviders, MetricDatum } from './types';
import { PgliteExecutor } from './unified-logs/pglite-executor';
import { SqlUnifiedLogProvider, type UnifiedLogInsertRow } from './unified-logs/provider';

/** Data the mocks start with (all optional). Metrics/logs go in as if put; unified-log rows are inserted. */
export interface MockSeed {
  metrics?: MetricDatum[];
  logs?: Record<string, NewLogEvent[]>;
  unified_logs?: UnifiedLogInsertRow[];
  /** bucket → key → text. */
  objects?: Record<string, Record<string, string>>;
  /** bucket → local folder whose files become the bucket's objects. */
  folders?: Record<string, string>;
  secrets?: Record<string, string>;
}

export interface MockAwsOptions {
  /** The clock every mock stamps with (defaults to the wall clock). */
  now?: () => Date;
  seed?: MockSeed;
  /** Table names etc.; defaults to `loadConfig({})` (every default). */
  config?: Config;
  /** Lambda functions to register (defaults to the catalog's lambda services). */
  services?: ServiceCatalog;
  /** Parameter groups and scaling targets to seed (defaults to the shipped policy). */
  policy?: RemediationPolicy;
}

/** The mocks with their test and simulation hooks. */
export interface MockAwsProviders extends AwsProviders {
  cloudwatch: MockCloudWatch;
  logs: MockCloudWatchLogs;
  unifiedLogs: SqlUnifiedLogProvider;
  /** The PGlite engine behind unifiedLogs (started lazily on first query). */
  sql: PgliteExecutor;
  dynamo: DocumentDynamoProvider;
  /** The dynalite endpoint (http://127.0.0.1:port) for code that needs its own client. */
  dynamoEndpoint: string;
  lambda: MockLambda;
  events: MockEventBridge;
  sfn: MockStepFunctions;
  rdsParams: MockRdsParameters;
  dbSessions: MockDbSessions;
  autoScaling: MockAutoScaling;
  objects: MockObjectStore;
  secrets: MockSecrets;
}

/** Memory and timeout the mock gives the catalog's Lambda functions. */
const MOCK_FUNCTION_DEFAULTS = { memory_mb: 512, timeout_s: 30 };

/**
 * Every AWS provider as a local mock: in-memory state with hooks, DynamoDB on an in-process dynalite
 * server (127.0.0.1), the unified logs on PGlite. Call `close()` when done.
 */
export async function createMockAwsProviders(opts: MockAwsOptions = {}): Promise<MockAwsProviders> {
  const now = opts.now ?? (() => new Date());
  const config = opts.config ?? loadConfig({});
  const services = opts.services ?? DEFAULT_SERVICES;
  const policy = opts.policy ?? loadPolicy();
  const seed = opts.seed ?? {};

  const local = await startLocalDynamo(config);
  const sql = new PgliteExecutor(config.UNIFIED_LOG_TABLE);

  const cloudwatch = new MockCloudWatch(now);
  if (seed.metrics) cloudwatch.seed(seed.metrics);

  const logs = new MockCloudWatchLogs(now);
  for (const svc of services) for (const g of svc.log_groups ?? []) logs.putLogEvents(g.name, []);
  for (const [group, events] of Object.entries(seed.logs ?? {})) logs.putLogEvents(group, events);

  const lambda = new MockLambda(now);
  for (const svc of services.filter((s) => s.kind === 'lambda')) {
    lambda.addFunction(svc.name, { description: svc.description ?? '', ...MOCK_FUNCTION_DEFAULTS });
  }
  for (const fn of policy.actions.lambda_restart.allowed_functions) {
    if (!lambda.functionNames().includes(fn)) lambda.addFunction(fn, MOCK_FUNCTION_DEFAULTS);
  }

  const rdsParams = new MockRdsParameters(now);
  for (const g of new Set([
    ...policy.actions.rds_parameter.parameter_groups,
    policy.actions.rds_parameter.default_parameter_group,
  ])) {
    rdsParams.addGroup(g);
  }
  // Clusters the policy may reboot use the default group: an Aurora-like writer + reader.
  for (const c of policy.actions.rds_reboot?.clusters ?? []) {
    rdsParams.addCluster(c.cluster_id, policy.actions.rds_parameter.default_parameter_group, c.instance_ids);
  }
  const dbSessions = new MockDbSessions(now);

  const autoScaling = new MockAutoScaling(now);
  for (const t of policy.actions.auto_scaling.targets) {
    const desired = Math.min(Math.max(2, t.min_capacity), t.max_capacity);
    autoScaling.addTarget(t.resource_type, t.resource_id, {
      desired,
      min: t.min_capacity,
      max: t.max_capacity,
    });
  }

  const objects = new MockObjectStore();
  for (const [bucket, keys] of Object.entries(seed.objects ?? {})) {
    for (const [key, text] of Object.entries(keys)) objects.putObject(bucket, key, text);
  }
  for (const [bucket, dir] of Object.entries(seed.folders ?? {})) objects.mountFolder(bucket, dir);

  const unifiedLogs = new SqlUnifiedLogProvider(sql, config.UNIFIED_LOG_TABLE);
  if (seed.unified_logs?.length) await unifiedLogs.insert(seed.unified_logs);

  return {
    cloudwatch,
    logs,
    unifiedLogs,
    sql,
    dynamo: new DocumentDynamoProvider(local.client, config, now),
    dynamoEndpoint: local.endpoint,
    lambda,
    events: new MockEventBridge(now),
    sfn: new MockStepFunctions(now),
    rdsParams,
    dbSessions,
    autoScaling,
    objects,
    secrets: new MockSecrets(seed.secrets ?? {}),
    close: async () => {
      await Promise.all([local.close(), sql.close(), dbSessions.close()]);
    },
  };
}
