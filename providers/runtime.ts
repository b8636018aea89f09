import { createAwsProviders } from './aws';
import type { AwsProviders } from './aws/types';
import { type Config, getConfig, loadServices } from './config';
import type { ServiceCatalog } from './domain';
import { createLLMClient } from './llm';
import type { LLMClient } from './llm/types';
import { loadPolicy, type RemediationPolicy } from './policy';

/**
 * Everything a handler needs, built once per process (Lambda cold start, CLI, local workspace).
 * Handlers take a Runtime so tests and the local workspace can bind them to mock providers.
 */
export interface Runtime {
  config: Config;
  aws: AwsProviders;
  llm: LLMClient;
  policy: RemediationPolicy;
  services: ServiceCatalog;
  /** The clock, injectable so the simulator and tests can run time faster. */
  now: () => Date;
}

export async function createRuntime(
  config: Config = getConfig(),
  overrides: Partial<Runtime> = {},
): Promise<Runtime> {
  return {
    config,
    aws: overrides.aws ?? (await createAwsProviders(config)),
    llm: overrides.llm ?? createLLMClient(config),
    policy: overrides.policy ?? loadPolicy(),
    services: overrides.services ?? loadServices(config),
    now: overrides.now ?? (() => new Date()),
  };
}

let shared: Promise<Runtime> | undefined;
/** The process-wide runtime for Lambda entries: created on first use, reused across invocations. */
export function getRuntime(): Promise<Runtime> {
  shared ??= createRuntime();
  return shared;
}
/** For the local workspace and tests: make handlers' `getRuntime()` return this runtime. */
export function setRuntime(runtime: Runtime): void {
  shared = Promise.resolve(runtime);
}
