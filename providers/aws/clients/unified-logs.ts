// Registers the real `aws.unifiedLogs` provider; imported by the modules that call it (built on first use, see real.ts).
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { traceHooks } from '../../trace-hooks';
import { sdkClientConfig } from '../shared/client-config';
import { AwsProviderError } from '../types';
import { DataApiExecutor } from '../unified-logs/data-api-executor';
import { SqlUnifiedLogProvider } from '../unified-logs/provider';
import { registerAwsClient } from './registry';

registerAwsClient('unifiedLogs', (config) => {
  if (!config.RDS_CLUSTER_ARN || !config.RDS_SECRET_ARN) {
    throw new AwsProviderError(
      'rds-data',
      'configure',
      'validation',
      'RDS_CLUSTER_ARN and RDS_SECRET_ARN are required when AWS_MOCK=false',
    );
  }
  const sql = new DataApiExecutor(traceHooks().captureClient(new RDSDataClient(sdkClientConfig(config))), {
    resourceArn: config.RDS_CLUSTER_ARN,
    secretArn: config.RDS_SECRET_ARN,
    database: config.RDS_DATABASE,
  });
  return new SqlUnifiedLogProvider(sql, config.UNIFIED_LOG_TABLE);
});
