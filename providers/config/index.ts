import { type Config, envSchema, SECRET_VARIABLES } from './schema';

export { type Route, route, type Thresholds } from './routing';
export { type Config, envSchema, SECRET_VARIABLES } from './schema';
export { DEFAULT_SERVICES, loadServices } from './services';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const shown = (name: string, value: string | undefined) =>
  value === undefined ? '(unset)' : SECRET_VARIABLES.has(name) ? '(hidden)' : JSON.stringify(value);

/**
 * Reads and validates the environment. The first bad variable stops start-up with one message
 * naming it, its value and what is allowed.
 */
export function loadConfig(env: Env = process.env): Config {
  // An empty string means "unset" for every variable, as it does in most deploy tools. So does a
  // blank one: number coercion would otherwise turn " " into 0.
  const cleaned: Env = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') cleaned[key] = v;
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(
      name,
      `Invalid configuration: ${name}=${shown(name, env[name])} — expected ${issue.message}.`,
    );
  }
  const config = parsed.data;
  return checkCombinations(config, env);
}

function checkCombinations(config: Config, env: Env): Config {
  if (config.APPROVAL_THRESHOLD >= config.AUTO_EXECUTE_THRESHOLD) {
    throw new ConfigError(
      'APPROVAL_THRESHOLD',
      `Invalid configuration: APPROVAL_THRESHOLD=${shown('APPROVAL_THRESHOLD', env.APPROVAL_THRESHOLD)} — expected a number below AUTO_EXECUTE_THRESHOLD (${config.AUTO_EXECUTE_THRESHOLD}).`,
    );
  }
  if (
    !config.LLM_MOCK &&
    config.LLM_PROVIDER === 'gemini' &&
    !config.GEMINI_API_KEY &&
    !config.GEMINI_SECRET_ARN
  ) {
    throw new ConfigError(
      'GEMINI_API_KEY',
      'Invalid configuration: GEMINI_API_KEY=(unset) — expected an API key (or GEMINI_SECRET_ARN) when LLM_PROVIDER=gemini and LLM_MOCK=false.',
    );
  }
  if (!config.AWS_MOCK && (!config.RDS_CLUSTER_ARN || !config.RDS_SECRET_ARN)) {
    const name = config.RDS_CLUSTER_ARN ? 'RDS_SECRET_ARN' : 'RDS_CLUSTER_ARN';
    throw new ConfigError(
      name,
      `Invalid configuration: ${name}=(unset) — expected an ARN when AWS_MOCK=false (the unified logs are read through the RDS Data API).`,
    );
  }
  return config;
}

let cached: Config | undefined;
/** The process-wide configuration, read once (Lambda cold start, CLI start). */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
/** For tests: forget the cached configuration. */
export function resetConfig(): void {
  cached = undefined;
}

/** The configuration with secrets masked, for printing. */
export function describeConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[k] = SECRET_VARIABLES.has(k) && v ? '(set)' : v;
  return out;
}
