import { resolve } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUNDLE_OPTIONS } from '../../../infra/bundling';
import { functionSpec } from '../../../infra/functions-spec';

/**
 * What the Lambda bundles carry, built with the stack's own esbuild options: the Slack ingress (3 s
 * ack budget) takes no tracer and no express, while the workflow steps carry Powertools Tracer.
 */
const ROOT = resolve(__dirname, '../../..');

async function packagesIn(key: 'slackBot' | 'remediation'): Promise<Set<string>> {
  const b = LAMBDA_BUNDLE_OPTIONS;
  const r = await build({
    entryPoints: [resolve(ROOT, functionSpec(key).entry)],
    bundle: true,
    write: false,
    outdir: '/tmp/bdp-bundle-contents',
    target: b.target,
    format: b.format,
    platform: b.platform,
    external: b.external,
    mainFields: b.mainFields,
    alias: b.alias,
    metafile: true,
    logLevel: 'error',
  });
  const pkgs = new Set<string>();
  for (const input of Object.keys(r.metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
    if (m) pkgs.add(m[1]!);
  }
  return pkgs;
}

test('the Slack ingress bundle has no tracer, no X-Ray SDK and no express (stubbed), but Bolt', async () => {
  const pkgs = await packagesIn('slackBot');
  expect(pkgs.has('@slack/bolt')).toBe(true);
  for (const p of ['@aws-lambda-powertools/tracer', 'aws-xray-sdk-core', 'express', 'body-parser'])
    expect({ p, inside: pkgs.has(p) }).toEqual({ p, inside: false });
}, 60_000);

test('a workflow step bundle carries Powertools Tracer', async () => {
  const pkgs = await packagesIn('remediation');
  expect(pkgs.has('@aws-lambda-powertools/tracer')).toBe(true);
  expect(pkgs.has('@aws-lambda-powertools/logger')).toBe(true);
}, 60_000);
