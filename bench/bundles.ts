/**
 * Bundle size and cold-load time of every Lambda, built exactly as the stack builds them (the same
 * esbuild options from infra/bundling.ts, the same entries from infra/functions-spec.ts).
 *   npm run bench:bundles [-- --runs N] [-- --only slackBot,botWorker] [-- --top N] [-- --json]
 * Cold load: median over N fresh `node` processes of the time to `require()` the bundle (the bare
 * `node` start-up is printed as a baseline). For the Slack bundle the targets are < 1 MB and
 * < +50 ms over bare node (issue 18; `npm run bench` prints every function's target); the heaviest packages inside each bundle come from esbuild's metafile.
 * Figures, not tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLE_OPTIONS } from '../infra/bundling';
import { FUNCTION_SPECS, type FunctionKey, type FunctionSpec } from '../infra/functions-spec';
import { parseBenchArgs } from './lib/args';
import { median } from './lib/stats';
import { formatTable } from './lib/table';

const ROOT = resolve(__dirname, '..');
const SLACK_TARGET = { bytes: 1024 * 1024, loadMs: 50 };

interface Args {
  runs: number;
  only?: FunctionKey[];
  top: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const a = parseBenchArgs(
    argv,
    { runs: 7, top: 6 },
    {
      strings: { only: undefined as string | undefined },
      usage:
        'usage: npm run bench:bundles -- [--runs N] [--only slackBot,botWorker] [--top N] [--json]\n' +
        '  Size and cold load of every Lambda bundle (defaults: --runs 7, --top 6, every function).',
    },
  );
  return { ...a, only: a.only?.split(',') as FunctionKey[] | undefined };
}

/** node_modules/<pkg> (or @scope/pkg) of an input path; our own sources as "(bdp-agent)". */
function packageOf(input: string): string {
  // The innermost node_modules: a nested copy counts for the package that carries it.
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(
    input.slice(Math.max(0, input.lastIndexOf('node_modules/'))),
  );
  return m ? m[1]! : '(bdp-agent)';
}

function heaviest(meta: Metafile, top: number): { pkg: string; bytes: number }[] {
  const out = Object.entries(meta.outputs).find(([k]) => k.endsWith('.js'))![1];
  const byPkg = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(out.inputs))
    byPkg.set(packageOf(input), (byPkg.get(packageOf(input)) ?? 0) + bytesInOutput);
  return [...byPkg.entries()]
    .map(([pkg, bytes]) => ({ pkg, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

/** Milliseconds to require `file` in a fresh node process (measured inside it, start-up excluded). */
function coldRequireMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  // No credentials, no network: loading a bundle must not need either.
  const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', NODE_OPTIONS: '' };
  return Number(execFileSync(process.execPath, ['-e', script], { env, timeout: 30_000 }).toString());
}

function bareNodeMs(): number {
  const t = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', '0'], { timeout: 30_000 });
  return Number(process.hrtime.bigint() - t) / 1e6;
}

interface Row {
  key: FunctionKey;
  entry: string;
  bytes: number;
  mapBytes: number;
  loadMs: number;
  top: { pkg: string; bytes: number }[];
}

async function measure(spec: FunctionSpec, outRoot: string, args: Args): Promise<Row> {
  const outdir = join(outRoot, spec.key);
  mkdirSync(outdir, { recursive: true });
  const b = LAMBDA_BUNDLE_OPTIONS;
  const result = await build({
    entryPoints: [join(ROOT, spec.entry)],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    minify: b.minify,
    sourcemap: b.sourcemap,
    sourcesContent: b.sourcesContent,
    target: b.target,
    format: b.format,
    platform: b.platform,
    external: b.external,
    mainFields: b.mainFields,
    alias: b.alias,
    metafile: true,
    logLevel: 'error',
  });
  const file = join(outdir, 'index.js');
  const times = Array.from({ length: args.runs }, () => coldRequireMs(file));
  return {
    key: spec.key,
    entry: spec.entry,
    bytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    loadMs: median(times),
    top: heaviest(result.metafile, args.top),
  };
}

const kb = (n: number) => Math.round(n / 1024);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const specs = FUNCTION_SPECS.filter(
    (s) => existsSync(join(ROOT, s.entry)) && (!args.only || args.only.includes(s.key)),
  );
  const outRoot = mkdtempSync(join(tmpdir(), 'bdp-bundles-'));
  try {
    const bare = median(Array.from({ length: args.runs }, bareNodeMs));
    const rows: Row[] = [];
    for (const spec of specs) {
      if (!args.json) process.stderr.write(`bundling ${spec.entry}…\n`);
      rows.push(await measure(spec, outRoot, args));
    }
    if (args.json) {
      process.stdout.write(
        // One line: run-all reads the last line that parses.
        `${JSON.stringify({ bare_node_ms: bare, runs: args.runs, load_average: loadavg(), bundles: rows })}\n`,
      );
      return;
    }
    console.log(
      formatTable(
        ['function', 'entry', 'bundle KB', 'map KB', `cold require ms (median of ${args.runs})`],
        rows.map((r) => [r.key, r.entry, kb(r.bytes), kb(r.mapBytes), Number(r.loadMs.toFixed(1))]),
      ),
    );
    console.log(`\nbare \`node -e 0\` process: ${bare.toFixed(0)} ms (start-up, not included above)`);
    console.log(
      `load average (1, 5, 15 min): ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    const slack = rows.find((r) => r.key === 'slackBot');
    if (slack) {
      const sizeOk = slack.bytes < SLACK_TARGET.bytes;
      const loadOk = slack.loadMs < SLACK_TARGET.loadMs;
      console.log(
        `\nSlack bot targets: bundle ${kb(slack.bytes)} KB (< ${kb(SLACK_TARGET.bytes)} KB: ${sizeOk ? 'met' : 'NOT met'}), cold require ${slack.loadMs.toFixed(1)} ms (< ${SLACK_TARGET.loadMs} ms: ${loadOk ? 'met' : 'NOT met'})`,
      );
    }
    console.log('\nheaviest packages per bundle (KB in the minified output):');
    for (const r of rows)
      console.log(`  ${r.key}: ${r.top.map((t) => `${t.pkg} ${kb(t.bytes)}`).join(', ')}`);
    const results = join(ROOT, 'bench/results');
    if (existsSync(results))
      writeFileSync(
        join(results, 'bundles.json'),
        JSON.stringify({ at: new Date().toISOString(), bare_node_ms: bare, bundles: rows }, null, 2),
      );
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`bench:bundles failed: ${(e as Error).message}`);
  process.exit(1);
});
