// Registers the real `aws.dbSessions` provider; imported by the modules that call it (built on first use, see real.ts).
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { traceHooks } from '../../trace-hooks';
import { SqlDbSessions } from '../db-sessions/provider';
import { sdkClientConfig } from '../shared/client-config';
import { AwsProviderError } from '../types';
import { DataApiExecutor } from '../unified-logs/data-api-executor';
import { registerAwsClient } from './registry';

registerAwsClient('dbSessions', (config) => {
  const rdsData = traceHooks().captureClient(new RDSDataClient(sdkClientConfig(config)));
  // Each cluster's sessions through the Data API: the policy's target, else the unified-log cluster's.
  return new SqlDbSessions((cluster, t) => {
    const resourceArn = t.resource_arn ?? config.RDS_CLUSTER_ARN;
    const secretArn = t.secret_arn ?? config.RDS_SECRET_ARN;
    if (!resourceArn || !secretArn)
      throw new AwsProviderError(
        'rds-data',
        'configure',
        'validation',
        `no Data API target for cluster ${cluster}: set resource_arn and secret_arn in the policy or RDS_CLUSTER_ARN and RDS_SECRET_ARN`,
      );
    return new DataApiExecutor(rdsData, {
      resourceArn,
      secretArn,
      database: t.database ?? config.RDS_DATABASE,
    });
  });
});
