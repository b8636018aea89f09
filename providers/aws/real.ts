import type { Config } from '../config';
import { type AwsClientFactories, type AwsServiceKey, registeredAwsClients } from './clients/registry';
import { AwsProviderError, type AwsProviders } from './types';

const SERVICES: readonly AwsServiceKey[] = [
  'cloudwatch',
  'logs',
  'unifiedLogs',
  'dynamo',
  'lambda',
  'events',
  'sfn',
  'rdsParams',
  'dbSessions',
  'autoScaling',
  'objects',
  'secrets',
];

/**
 * The providers on the real AWS SDK v3 clients, each built on first use from the factory the calling
 * module registered (`providers/aws/clients/<service>`): a Lambda entry loads and constructs only the
 * clients its code calls. A service no loaded module registered fails on use with a clear error.
 */
export function createRealAwsProviders(
  config: Config,
  factories: AwsClientFactories = registeredAwsClients(),
): AwsProviders {
  const built: Partial<Record<AwsServiceKey, unknown>> = {};
  const providers = { close: async () => undefined } as AwsProviders;
  for (const key of SERVICES) {
    Object.defineProperty(providers, key, {
      enumerable: true,
      get() {
        if (!(key in built)) {
          const factory = factories[key] as ((c: Config) => unknown) | undefined;
          if (!factory)
            throw new AwsProviderError(
              key,
              'configure',
              'validation',
              `no real ${key} client in this entry point: the module calling aws.${key} must import providers/aws/clients`,
            );
          built[key] = factory(config);
        }
        return built[key];
      },
    });
  }
  return providers;
}
