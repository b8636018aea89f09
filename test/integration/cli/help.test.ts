import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Every npm script that takes arguments, spawned as npm runs it (tsx on the script's file): `--help`
 * prints the usage and exits 0 quickly without doing work; a bad argument exits 2 naming it; `.env`
 * is loaded and validated like the environment.
 */
const ROOT = resolve(__dirname, '../../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

const WITH_ARGS = [
  'policy',
  'start',
  'start:slack',
  'start:teams',
  'summarize',
  'analyze',
  'eval',
  'faults',
  'bench',
  'bench:summarize',
  'bench:bundles',
  'teams:package',
];

/**
 * `tsx file args…` or `node --import tsx file args…` → [file, …args]; `node start.cjs args…` (the
 * workspace starts from its prebuilt bundle) → the TypeScript entry the bundle is built from.
 */
function entryOf(script: string): string[] {
  const cmd = scripts[script] ?? '';
  const prebuilt = /^node bot\/local\/start\.cjs((?: \S+)*)$/.exec(cmd);
  if (prebuilt) return ['bot/local/main.ts', ...prebuilt[1]!.split(' ').filter(Boolean)];
  const m = /^(?:tsx|node --import tsx) (\S+\.ts)((?: \S+)*)$/.exec(cmd);
  if (!m) throw new Error(`npm script ${script} is not "tsx <file>": ${cmd}`);
  return [m[1]!, ...m[2]!.split(' ').filter(Boolean)];
}

function run(script: string, args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  const [file, ...fixed] = entryOf(script);
  const started = Date.now();
  return new Promise<{ code: number | null; out: string; err: string; ms: number }>((done) => {
    const child = spawn(TSX, [join(ROOT, file!), ...fixed, ...args], {
      cwd,
      env: { ...process.env, ...env, BDP_LOCAL_LOG_FILE: join(tmpdir(), 'bdp-cli-test.log') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out, err, ms: Date.now() - started });
    });
  });
}

test('every npm script that takes arguments is covered here', () => {
  const takesArgs = Object.entries(scripts)
    .filter(([, cmd]) => /^(tsx|node --import tsx|node bot\/local\/start\.cjs) ?/.test(cmd))
    .map(([name]) => name)
    .sort();
  expect(takesArgs).toEqual([...WITH_ARGS].sort());
});

describe.each(WITH_ARGS)('npm run %s', (script) => {
  test('--help prints the usage and exits 0 at once', async () => {
    const r = await run(script, ['--help']);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    expect(r.out).toMatch(/^usage: npm (run (--silent )?[\w:]+|start) /);
    expect(r.out).toContain('--help');
    // 5 s on an idle machine; spawned tsx under a loaded CI runner gets some slack, not a workload's.
    expect(r.ms).toBeLessThan(10_000);
  }, 30_000);

  test('an unknown option exits 2 naming it', async () => {
    const r = await run(script, ['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("'--no-such-flag'");
    expect(r.err).toMatch(/usage: /);
  }, 30_000);
});

describe('.env', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bdp-dotenv-'));
    writeFileSync(
      join(dir, '.env'),
      '# a bad value in .env stops start-up like a bad variable\nLLM_TIMEOUT_MS=5\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('is loaded from the working folder and validated like the environment', async () => {
    const r = await run('analyze', ['payments-api'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('LLM_TIMEOUT_MS="5"');
  }, 30_000);

  test('a variable already set in the environment wins over .env', async () => {
    const r = await run('analyze', ['no-such-service'], dir, { LLM_TIMEOUT_MS: '2000' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown service "no-such-service"');
  }, 30_000);

  test('--help answers even with a bad .env (no work, no configuration)', async () => {
    const r = await run('analyze', ['--help'], dir);
    expect(r.code).toBe(0);
  }, 30_000);
});
