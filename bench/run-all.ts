/**
 * `npm run bench`: every benchmark, each as a child process with `--json`, printed as ONE table
 * (figure, median of its runs, spread, runs, target). Benchmarks that are missing or fail are listed,
 * never hidden. `--json` prints the rows as one JSON object; `--only ack,detection` picks some.
 *
 * Benchmarks: ack (Slack ack through the Lambda entry), detection (1 M unified-log rows on PGlite),
 * summarize (summariser GA, token reduction, throughput), bundles (per-function bundle size and cold
 * load), workspace (end to end: injected fault → card in the channel).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { usageExit } from '../providers/cli';
import { parseBenchArgs } from './lib/args';
import { formatTable } from './lib/table';

interface Figure {
  bench: string;
  name: string;
  unit: string;
  median: number;
  spread: number;
  runs: number;
  target?: string;
  met?: boolean;
  note?: string;
}

type Json = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);

/** Each bench's JSON → rows. Benches of this folder that print `figures` are taken as they are. */
const ADAPTERS: Record<string, (doc: Json) => Omit<Figure, 'bench'>[]> = {
  summarize: (d) => {
    const mean = (d.mean ?? {}) as Json;
    const tp = (d.throughput ?? {}) as Json;
    const reps = num(tp.reps) || 1;
    return [
      {
        name: 'summariser grouping accuracy (content, mean)',
        unit: 'GA',
        median: num(mean.gaContent),
        spread: 0,
        runs: 1,
      },
      {
        name: 'summariser token reduction (mean)',
        unit: 'fraction',
        median: num(mean.tokenReduction),
        spread: 0,
        runs: 1,
      },
      {
        name: 'summariser throughput',
        unit: 'lines/CPU s',
        median: num(tp.linesPerCpuSecond),
        spread: num(tp.linesPerCpuSecondSpread) || 0,
        runs: reps,
      },
    ];
  },
  bundles: (d) => {
    const runs = num(d.runs) || 1;
    return ((d.bundles ?? []) as Json[]).flatMap((b) => {
      const t = BUNDLE_TARGETS[String(b.key)];
      const kb = num(b.bytes) / 1024;
      const ms = num(b.loadMs);
      return [
        {
          name: `bundle size: ${String(b.key)}`,
          unit: 'KB',
          median: kb,
          spread: 0,
          runs: 1,
          ...(t ? { target: `< ${t.kb} KB`, met: kb < t.kb } : {}),
        },
        {
          name: `load over bare node: ${String(b.key)}`,
          unit: 'ms',
          median: ms,
          spread: 0,
          runs,
          ...(t?.ms ? { target: `< +${t.ms} ms`, met: ms < t.ms } : {}),
        },
      ];
    });
  },
};

/**
 * Issue 18's targets per function: the Slack entry < 1 MB and < +50 ms over bare node; the pipeline
 * functions < 700 KB and < +100 ms; every other function without an LLM < 1 MB. The bundles bench
 * measures the load inside a fresh node process, i.e. over bare node's own start-up.
 */
const PIPELINE = ['detection', 'notify', 'approval', 'approvalExpiry', 'remediation', 'verification'];
const BUNDLE_TARGETS: Record<string, { kb: number; ms?: number }> = {
  slackBot: { kb: 1024, ms: 50 },
  ...Object.fromEntries(PIPELINE.map((k) => [k, { kb: 700, ms: 100 }])),
  teamsBot: { kb: 1024 },
  botWorker: { kb: 1024 },
  botActions: { kb: 1024 },
};

/** `text`: the bench has no --json; its own output is printed under the table as it is. */
const BENCHES: { name: string; file: string; args: string[]; text?: boolean }[] = [
  { name: 'ack', file: 'ack.ts', args: ['--json'] },
  { name: 'detection', file: 'detection.ts', args: ['--json'] },
  { name: 'summarize', file: 'summarize.ts', args: ['--json'] },
  { name: 'bundles', file: 'bundles.ts', args: ['--json'] },
  { name: 'workspace', file: 'workspace.ts', args: ['--json', '--seconds', '30'] },
];

function runBench(b: (typeof BENCHES)[number]): {
  figures: Figure[];
  error?: string;
  seconds: number;
  text?: string;
} {
  const file = join(__dirname, b.file);
  if (!existsSync(file)) return { figures: [], error: `${b.file} does not exist yet`, seconds: 0 };
  const t = Date.now();
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), file, ...b.args], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60_000,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  const seconds = Math.round((Date.now() - t) / 100) / 10;
  if (r.status !== 0)
    return {
      figures: [],
      error: `exit ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}`,
      seconds,
    };
  if (b.text) return { figures: [], seconds, text: r.stdout.trim() };
  // The JSON is the last line that parses (some benches print progress first).
  let doc: Json | undefined;
  for (const line of r.stdout.trim().split('\n').reverse()) {
    try {
      doc = JSON.parse(line) as Json;
      break;
    } catch {
      // not this line
    }
  }
  if (!doc) {
    try {
      doc = JSON.parse(r.stdout) as Json;
    } catch {
      return { figures: [], error: 'no JSON on stdout', seconds };
    }
  }
  const rows = Array.isArray(doc.figures)
    ? (doc.figures as Omit<Figure, 'bench'>[])
    : (ADAPTERS[b.name]?.(doc) ?? []);
  return { figures: rows.map((f) => ({ bench: b.name, ...f })), seconds };
}

function main(): void {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {},
    {
      strings: { only: undefined as string | undefined },
      usage: `usage: npm run bench -- [--only ${BENCHES.map((b) => b.name).join(',')}] [--json]\n  Every benchmark (or --only some), one table.`,
    },
  );
  const json = args.json;
  const only = args.only?.split(',');
  const unknown = only?.filter((n) => !BENCHES.some((b) => b.name === n)) ?? [];
  if (unknown.length)
    usageExit(
      'usage: npm run bench -- [--only names] [--json]',
      `--only: unknown benchmark ${unknown.join(', ')}`,
    );
  const chosen = BENCHES.filter((b) => !only || only.includes(b.name));
  const loadBefore = loadavg().map((x) => Number(x.toFixed(2)));
  const figures: Figure[] = [];
  const problems: string[] = [];
  const texts: { name: string; text: string }[] = [];
  for (const b of chosen) {
    if (!json) process.stderr.write(`running ${b.name}…\n`);
    const r = runBench(b);
    figures.push(...r.figures);
    if (r.error) problems.push(`${b.name}: ${r.error}`);
    if (r.text) texts.push({ name: b.name, text: r.text });
    if (!json)
      process.stderr.write(
        `  ${b.name}: ${r.error ? `FAILED (${r.error})` : `${r.figures.length} figure(s)`} in ${r.seconds} s\n`,
      );
  }
  const machine = {
    date: new Date().toISOString(),
    nproc: cpus().length,
    node: process.version,
    // Timings on a busy machine are pessimistic: the load average (1, 5, 15 min) goes with every run.
    load_average: { before: loadBefore, after: loadavg().map((x) => Number(x.toFixed(2))) },
  };
  if (json) {
    process.stdout.write(`${JSON.stringify({ machine, figures, printed: texts, problems })}\n`);
  } else {
    console.log(
      formatTable(
        ['bench', 'figure', 'median', 'unit', 'spread (±)', 'runs', 'target'],
        figures.map((f) => [
          f.bench,
          f.name,
          Number(f.median.toFixed(f.median < 10 ? 3 : 1)),
          f.unit,
          `${(f.spread * 100).toFixed(1)} %`,
          f.runs,
          f.target ? `${f.target}: ${f.met ? 'met' : 'NOT met'}` : '',
        ]),
      ),
    );
    for (const f of figures.filter((x) => x.note)) console.log(`  ${f.name}: ${f.note}`);
    for (const t of texts) console.log(`\n${t.name} (as the bench prints it):\n${t.text}`);
    console.log(
      `\n${machine.date} — nproc ${machine.nproc}, Node ${machine.node}, load average before ${machine.load_average.before.join(' ')}, after ${machine.load_average.after.join(' ')}`,
    );
    if (problems.length) console.log(`not measured:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  if (problems.length) process.exitCode = 1;
}

main();
