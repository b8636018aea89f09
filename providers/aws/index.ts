/**
 * The AWS providers: one interface per service (types.ts), a real SDK v3 implementation and a local
 * mock of each, chosen by AWS_MOCK. Also the DynamoDB table definitions and the unified-log schema.
 */
import type { Config } from '../config';
import type { createMockAwsProviders as CreateMock } from './mock';
import { createRealAwsProviders } from './real';
import type { AwsProviders } from './types';

export { type CapacityChange, MockAutoScaling } from './autoscaling/mock';
export { MockCloudWatch } from './cloudwatch/mock';
export { type LocalDynamo, startLocalDynamo } from './dynamodb/local';
export { DocumentDynamoProvider } from './dynamodb/provider';
export {
  createTables,
  expiresAt,
  TABLE_KEYS,
  TABLES,
  type TableDefinition,
  tableName,
} from './dynamodb/tables';
export { MockEventBridge } from './eventbridge/mock';
export { type Invocation, MockLambda } from './lambda/mock';
export { MockCloudWatchLogs, type NewLogEvent } from './logs/mock';
export { createMockAwsProviders, type MockAwsOptions, type MockAwsProviders, type MockSeed } from './mock';
export { DEFAULT_DB_PARAMETERS, MockRdsParameters, type ParameterChange } from './rds-params/mock';
export { createRealAwsProviders } from './real';
export { MockObjectStore } from './s3/mock';
export { MockSecrets } from './secrets/mock';
export { type MockExecution, MockStepFunctions, type TaskOutcome } from './sfn/mock';
export { awsCall, errorKind, toProviderError } from './shared/errors';
export * from './types';
export { DataApiExecutor, toSqlParameters } from './unified-logs/data-api-executor';
export { PgliteExecutor } from './unified-logs/pglite-executor';
export {
  LOG_LEVELS,
  SqlUnifiedLogProvider,
  type UnifiedLogInsertRow,
} from './unified-logs/provider';
export {
  readUnifiedLogSchemaFile,
  unifiedLogSchemaSql,
  unifiedLogSchemaStatements,
} from './unified-logs/schema';

/**
 * AWS_MOCK=true → the local mocks (dynalite, PGlite, in-memory state); else the real SDK clients,
 * each built on first use. The mocks are required by a computed name so bundlers leave them (and the
 * local engines) out of Lambda bundles, which run with AWS_MOCK=false.
 */
export async function createAwsProviders(config: Config): Promise<AwsProviders> {
  if (!config.AWS_MOCK) return createRealAwsProviders(config);
  const load = require;
  const mock = ['.', 'mock'].join('/');
  let create: typeof CreateMock;
  try {
    ({ createMockAwsProviders: create } = load(mock) as { createMockAwsProviders: typeof CreateMock });
  } catch (e) {
    throw new Error(`AWS_MOCK=true but the mock providers are not in this build: ${(e as Error).message}`);
  }
  return create({ config });
}
