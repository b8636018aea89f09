import { createAwsProviders } from './aws';
import type { AwsProviders } from './aws/types';
import { type Config, getConfig, loadServices } from './config';
import type { ServiceCatalog } from './domain';
import { type LLMClient, LLMError } from './llm/types';
import { loadPolicy, type RemediationPolicy } from './policy';
import './aws/clients/secrets';

/**
 * Everything a handler needs, built once per process (Lambda cold start, CLI, local workspace).
 * Handlers take a Runtime so tests and the local workspace can bind them to mock providers.
 */
export interface Runtime {
  config: Config;
  aws: AwsProviders;
  /** Created on first use, through the factory the agent registers (see registerLLMFactory). */
  llm: LLMClient;
  policy: RemediationPolicy;
  services: ServiceCatalog;
  /** The clock, injectable so the simulator and tests can run time faster. */
  now: () => Date;
}

export type LLMFactory = (config: Config) => LLMClient;
let llmFactory: LLMFactory | undefined;

/**
 * The agent registers `createLLMClient` when it is imported. The runtime does not import the LLM
 * libraries itself, so entries that never run the agent (Slack ingress, detection, remediation)
 * don't carry LangChain and the provider SDKs in their bundles.
 */
export function registerLLMFactory(factory: LLMFactory): void {
  llmFactory = factory;
}

/** Stands in where no factory was registered: fails the call with a clear message, never at start. */
function unavailableLLM(config: Config): LLMClient {
  const provider = config.LLM_MOCK ? 'mock' : config.LLM_PROVIDER;
  const fail = () =>
    new LLMError(
      provider,
      'config',
      'no LLM in this entry point (the agent module registers the LLM factory)',
    );
  return {
    provider,
    modelName: '(not loaded)',
    get chatModel(): never {
      throw fail();
    },
    invoke: async () => {
      throw fail();
    },
  };
}

/** A deployed Gemini key lives in Secrets Manager (GEMINI_SECRET_ARN): plain text or {"api_key": "…"}. */
async function resolveGeminiKey(config: Config, aws: AwsProviders): Promise<Config> {
  if (
    config.LLM_MOCK ||
    config.LLM_PROVIDER !== 'gemini' ||
    config.GEMINI_API_KEY ||
    !config.GEMINI_SECRET_ARN
  )
    return config;
  const raw = (await aws.secrets.getSecret(config.GEMINI_SECRET_ARN)).trim();
  let key = raw;
  if (raw.startsWith('{')) {
    const doc = JSON.parse(raw) as Record<string, unknown>;
    key = String(doc.api_key ?? doc.GEMINI_API_KEY ?? '');
  }
  if (!key) throw new Error(`GEMINI_SECRET_ARN=${config.GEMINI_SECRET_ARN}: the secret holds no API key`);
  return { ...config, GEMINI_API_KEY: key };
}

export async function createRuntime(
  config: Config = getConfig(),
  overrides: Partial<Runtime> = {},
): Promise<Runtime> {
  const aws = overrides.aws ?? (await createAwsProviders(config));
  const resolved = await resolveGeminiKey(config, aws);
  let llm = overrides.llm;
  return {
    config: resolved,
    aws,
    get llm(): LLMClient {
      llm ??= llmFactory ? llmFactory(resolved) : unavailableLLM(resolved);
      return llm;
    },
    policy: overrides.policy ?? loadPolicy(),
    services: overrides.services ?? loadServices(resolved),
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
