// Registers the real `aws.sfn` provider; imported by the modules that call it (built on first use, see real.ts).
import { SFNClient } from '@aws-sdk/client-sfn';
import { traceHooks } from '../../trace-hooks';
import { SdkStepFunctions } from '../sfn/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'sfn',
  (config) => new SdkStepFunctions(traceHooks().captureClient(new SFNClient(sdkClientConfig(config)))),
);
