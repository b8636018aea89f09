// Registers the real `aws.rdsParams` provider; imported by the modules that call it (built on first use, see real.ts).
import { RDSClient } from '@aws-sdk/client-rds';
import { traceHooks } from '../../trace-hooks';
import { SdkRdsParameters } from '../rds-params/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'rdsParams',
  (config) => new SdkRdsParameters(traceHooks().captureClient(new RDSClient(sdkClientConfig(config)))),
);
