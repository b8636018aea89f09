// Registers the real `aws.events` provider; imported by the modules that call it (built on first use, see real.ts).
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { traceHooks } from '../../trace-hooks';
import { SdkEventBridge } from '../eventbridge/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'events',
  (config) =>
    new SdkEventBridge(
      traceHooks().captureClient(new EventBridgeClient(sdkClientConfig(config))),
      config.EVENT_BUS_NAME,
    ),
);
