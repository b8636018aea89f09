// Registers the real `aws.objects` provider; imported by the modules that call it (built on first use, see real.ts).
import { S3Client } from '@aws-sdk/client-s3';
import { SdkObjectStore } from '../s3/real';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient('objects', (config) => new SdkObjectStore(new S3Client(sdkClientConfig(config))));
