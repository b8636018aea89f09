import { join } from 'node:path';

/**
 * The esbuild options every Lambda bundle is built with: the stack hands them to NodejsFunction and
 * `bench/bundles.ts` runs esbuild with the same values, so the measured bundle is the shipped one.
 * No aws-cdk-lib here.
 */

/** Lambda runtime nodejs22.x. */
export const NODE_TARGET = 'node22';

/**
 * Local-only engines, loaded by the mocks (AWS_MOCK=true) through dynamic import/require and never
 * in a deployed Lambda (AWS_MOCK=false): left out of every bundle.
 */
export const LOCAL_ONLY_MODULES: readonly string[] = ['@electric-sql/pglite', 'dynalite'];

/**
 * Optional peers the Microsoft 365 Agents SDK's telemetry tries to `require` inside a try (it runs
 * with no-op tracing without them); not installed, so left out of every bundle.
 */
export const OPTIONAL_PEER_MODULES: readonly string[] = ['@opentelemetry/api', '@opentelemetry/api-logs'];

/**
 * Modules replaced by small stubs in Lambda bundles: Bolt's App module loads all its receivers, but
 * a Lambda runs AwsLambdaReceiver only. Socket Mode (with undici) and raw-body (with iconv-lite) are
 * about 1 MB of a Slack bundle that can never run there; the stubs throw if anything calls them.
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@slack/socket-mode': join(__dirname, 'lambda-stubs', 'slack-socket-mode.js'),
  'raw-body': join(__dirname, 'lambda-stubs', 'raw-body.js'),
  // Bolt's public entry also loads ExpressReceiver (express, ~0.8 MB with its parsers).
  express: join(__dirname, 'lambda-stubs', 'express.js'),
};

export interface LambdaBundleOptions {
  minify: true;
  sourcemap: true;
  target: string;
  format: 'cjs';
  platform: 'node';
  external: string[];
  /** ESM builds first: smaller and tree-shakable (LangChain, the AWS SDK). */
  mainFields: string[];
  /** Sources are not needed for stack traces; leaving them out keeps the .map small. */
  sourcesContent: false;
  alias: Record<string, string>;
}

/**
 * The AWS SDK v3 is bundled (not taken from the runtime) so a function runs the SDK version the
 * tests ran against.
 */
export const LAMBDA_BUNDLE_OPTIONS: LambdaBundleOptions = {
  minify: true,
  sourcemap: true,
  target: NODE_TARGET,
  format: 'cjs',
  platform: 'node',
  external: [...LOCAL_ONLY_MODULES, ...OPTIONAL_PEER_MODULES],
  mainFields: ['module', 'main'],
  sourcesContent: false,
  alias: { ...LAMBDA_ALIASES },
};
