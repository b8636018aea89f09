// Registers the real `aws.lambda` provider; imported by the modules that call it (built on first use, see real.ts).
import { LambdaClient } from '@aws-sdk/client-lambda';
import { traceHooks } from '../../trace-hooks';
import { SdkLambda } from '../lambda/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'lambda',
  (config) => new SdkLambda(traceHooks().captureClient(new LambdaClient(sdkClientConfig(config)))),
);
