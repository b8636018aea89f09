// Registers the real `aws.autoScaling` provider; imported by the modules that call it (built on first use, see real.ts).
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { ECSClient } from '@aws-sdk/client-ecs';
import { traceHooks } from '../../trace-hooks';
import { SdkAutoScaling } from '../autoscaling/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'autoScaling',
  (config) =>
    new SdkAutoScaling(
      traceHooks().captureClient(new ECSClient(sdkClientConfig(config))),
      traceHooks().captureClient(new ApplicationAutoScalingClient(sdkClientConfig(config))),
    ),
);
