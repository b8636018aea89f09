// Registers the real `aws.secrets` provider; imported by the modules that call it (built on first use, see real.ts).
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traceHooks } from '../../trace-hooks';
import { SdkSecrets } from '../secrets/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'secrets',
  (config) => new SdkSecrets(traceHooks().captureClient(new SecretsManagerClient(sdkClientConfig(config)))),
);
