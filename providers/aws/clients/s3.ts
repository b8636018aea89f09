// Registers the real `aws.objects` provider; imported by the modules that call it (built on first use, see real.ts).
import { S3Client } from '@aws-sdk/client-s3';
import { traceHooks } from '../../trace-hooks';
import { SdkObjectStore } from '../s3/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'objects',
  (config) => new SdkObjectStore(traceHooks().captureClient(new S3Client(sdkClientConfig(config)))),
);
