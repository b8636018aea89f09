import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Config } from '../config';
import { traceHooks } from '../trace-hooks';
import { SdkAutoScaling } from './autoscaling/real';
import { SdkCloudWatch } from './cloudwatch/real';
import { DocumentDynamoProvider } from './dynamodb/provider';
import { SdkEventBridge } from './eventbridge/real';
import { SdkLambda } from './lambda/real';
import { SdkCloudWatchLogs } from './logs/real';
import { SdkRdsParameters } from './rds-params/real';
import { SdkObjectStore } from './s3/real';
import { SdkSecrets } from './secrets/real';
import { SdkStepFunctions } from './sfn/real';
import { sdkClientConfig } from './shared/client-config';
import { AwsProviderError, type AwsProviders } from './types';
import { DataApiExecutor } from './unified-logs/data-api-executor';
import { SqlUnifiedLogProvider } from './unified-logs/provider';

/** Every provider on the real AWS SDK v3 clients (region, retries and timeouts from sdkClientConfig). */
export function createRealAwsProviders(config: Config): AwsProviders {
  if (!config.RDS_CLUSTER_ARN || !config.RDS_SECRET_ARN) {
    throw new AwsProviderError(
      'rds-data',
      'configure',
      'validation',
      'RDS_CLUSTER_ARN and RDS_SECRET_ARN are required when AWS_MOCK=false',
    );
  }
  const opts = sdkClientConfig(config);
  // Each client through the tracing hook (Powertools Tracer when the entry installed it).
  const { captureClient: capture } = traceHooks();
  const sql = new DataApiExecutor(capture(new RDSDataClient(opts)), {
    resourceArn: config.RDS_CLUSTER_ARN,
    secretArn: config.RDS_SECRET_ARN,
    database: config.RDS_DATABASE,
  });
  return {
    cloudwatch: new SdkCloudWatch(capture(new CloudWatchClient(opts))),
    logs: new SdkCloudWatchLogs(capture(new CloudWatchLogsClient(opts))),
    unifiedLogs: new SqlUnifiedLogProvider(sql, config.UNIFIED_LOG_TABLE),
    dynamo: new DocumentDynamoProvider(capture(new DynamoDBClient(opts)), config),
    lambda: new SdkLambda(capture(new LambdaClient(opts))),
    events: new SdkEventBridge(capture(new EventBridgeClient(opts)), config.EVENT_BUS_NAME),
    sfn: new SdkStepFunctions(capture(new SFNClient(opts))),
    rdsParams: new SdkRdsParameters(capture(new RDSClient(opts))),
    autoScaling: new SdkAutoScaling(
      capture(new ECSClient(opts)),
      capture(new ApplicationAutoScalingClient(opts)),
    ),
    objects: new SdkObjectStore(capture(new S3Client(opts))),
    secrets: new SdkSecrets(capture(new SecretsManagerClient(opts))),
    close: async () => undefined,
  };
}
