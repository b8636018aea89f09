import type { Config } from '../../config';
import type { AwsProviders } from '../types';

/** The services of AwsProviders (everything but `close`). */
export type AwsServiceKey = Exclude<keyof AwsProviders, 'close'>;

/** Builds one real provider (its SDK client included) from the config; called on first use only. */
export type AwsClientFactory<K extends AwsServiceKey> = (config: Config) => AwsProviders[K];
export type AwsClientFactories = { [K in AwsServiceKey]?: AwsClientFactory<K> };

const registered: AwsClientFactories = {};

/**
 * A module that calls `aws.<service>` imports `providers/aws/clients/<service>`, which registers the
 * factory here. So a Lambda bundle carries exactly the SDK clients its code can call, and none is
 * constructed before the first call (see real.ts).
 */
export function registerAwsClient<K extends AwsServiceKey>(key: K, factory: AwsClientFactory<K>): void {
  (registered as Record<K, AwsClientFactory<K>>)[key] = factory;
}

/** What the modules loaded so far registered (a copy). */
export function registeredAwsClients(): AwsClientFactories {
  return { ...registered };
}
