import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../infra/functions';

const run = promisify(execFile);

/**
 * The one real `cdk synth`: the CLI, the app through tsx, every function bundled by the local
 * esbuild, cdk-nag — offline, without AWS credentials. Slow (every bundle is built), so only this once.
 */
describe('npx cdk synth (offline, with bundling)', () => {
  const out = mkdtempSync(join(tmpdir(), 'bdp-synth-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('synthesises the stack with one bundle per function, no local-only engine inside', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CI: 'true' };
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
      delete env[k];
    await run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '-o', out], {
      cwd: REPO_ROOT,
      env,
      timeout: 540_000,
      maxBuffer: 16 * 1024 * 1024,
    });

    const template = JSON.parse(readFileSync(join(out, 'BdpAgentStack.template.json'), 'utf8')) as {
      Resources: Record<
        string,
        { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }
      >;
    };
    const functions = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.FunctionName ?? '').startsWith('bdp-'),
    );
    expect(functions.length).toBeGreaterThanOrEqual(9);
    for (const f of functions) {
      const dir = join(out, f.Metadata!['aws:asset:path']!);
      const js = readFileSync(join(dir, 'index.js'), 'utf8');
      expect(existsSync(join(dir, 'index.js.map'))).toBe(true);
      // CommonJS exporting the handler, with its source map linked.
      expect(js).toMatch(/handler/);
      expect(js.trimEnd()).toMatch(/\/\/# sourceMappingURL=index\.js\.map$/);
      // Bolt's unused receivers are stubbed (infra/bundling.ts): no Socket Mode WebSocket client inside.
      expect(js).not.toMatch(/Starting Socket Mode session/);
      // PGlite and dynalite stay external (only the mocks load them); no CDK or test tooling inside.
      expect(js).not.toMatch(/pglite\.wasm|aws-cdk-lib|ts-jest/);
      expect(statSync(join(dir, 'index.js')).size).toBeLessThan(10 * 1024 * 1024);
    }

    // cdk-nag runs as a validation plugin (infra/app.ts) and fails the synth on any unacknowledged
    // finding; the report lists plugins only when they found something.
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string }[];
    };
    expect(report.pluginReports.filter((p) => p.conclusion !== 'success')).toEqual([]);
  }, 600_000);
});
