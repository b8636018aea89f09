// Registers the real `aws.cloudwatch` provider; imported by the modules that call it (built on first use, see real.ts).
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { traceHooks } from '../../trace-hooks';
import { SdkCloudWatch } from '../cloudwatch/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'cloudwatch',
  (config) => new SdkCloudWatch(traceHooks().captureClient(new CloudWatchClient(sdkClientConfig(config)))),
);
