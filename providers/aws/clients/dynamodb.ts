// Registers the real `aws.dynamo` provider; imported by the modules that call it (built on first use, see real.ts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { traceHooks } from '../../trace-hooks';
import { DocumentDynamoProvider } from '../dynamodb/provider';
import { sdkClientConfig } from '../shared/client-config';
import { registerAwsClient } from './registry';

registerAwsClient(
  'dynamo',
  (config) =>
    new DocumentDynamoProvider(
      traceHooks().captureClient(new DynamoDBClient(sdkClientConfig(config))),
      config,
    ),
);
