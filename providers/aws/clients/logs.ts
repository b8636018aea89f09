// Registers the real `aws.logs` provider; imported by the modules that call it (built on first use, see real.ts).
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { traceHooks } from '../../trace-hooks';
import { SdkCloudWatchLogs } from '../logs/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'logs',
  (config) =>
    new SdkCloudWatchLogs(traceHooks().captureClient(new CloudWatchLogsClient(sdkClientConfig(config)))),
);
