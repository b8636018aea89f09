/**
 * Benchmark of the log summariser on Loghub-2k (8 systems, corrected ground truth).
 *   npm run bench:summarize [-- --json] [-- --data DIR] [-- --budget TOKENS] [-- --reps N]
 * Per system: grouping accuracy (GA) on the raw lines (generic header split, no per-system
 * settings) and on the ground truth's Content column; groups found vs true; token reduction of the
 * rendered summary against the raw lines (cl100k tokens) and how many groups the summary shows in
 * full / condensed / folded. Then throughput (lines per CPU-second and per wall-second) and peak
 * memory of header split + masking + mining on a corpus of the 8 sets concatenated to ≥1.5 M lines,
 * and of the whole summarizeLogs on a smaller corpus. Figures, not tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { countTokens, renderSummary, splitHeader, summarizeLogs, TemplateMiner } from '../pipeline/summarize';
import { linesToRecords } from '../pipeline/summarize/records';
import { parseBenchArgs } from './lib/args';
import { parseCsvRecords } from './lib/csv';
import { groupingAccuracy } from './lib/grouping';
import { mean, median, peakRssMb, spread, timed } from './lib/stats';
import { formatTable, pct } from './lib/table';

const SYSTEMS = ['HDFS', 'Apache', 'HealthApp', 'OpenSSH', 'Spark', 'Zookeeper', 'BGL', 'Linux'];
const CORPUS_MIN_LINES = 1_500_000;

interface Args {
  json: boolean;
  data: string;
  budget: number;
  reps: number;
}

function parseArgs(argv: string[]): Args {
  const repoRoot = path.resolve(__dirname, '..');
  const a = parseBenchArgs(
    argv,
    { budget: 4000, reps: 3 },
    {
      strings: { data: path.resolve(repoRoot, '..', 'shared', 'datasets', 'loghub-2k') },
      usage:
        'usage: npm run bench:summarize -- [--json] [--data DIR] [--budget TOKENS] [--reps N]\n' +
        '  Loghub-2k grouping accuracy, token reduction and throughput of the log summariser.\n' +
        '  (defaults: --data ../shared/datasets/loghub-2k, --budget 4000, --reps 3)',
    },
  );
  return { ...a, data: path.resolve(a.data) };
}

interface SystemResult {
  system: string;
  gaRaw: number;
  gaContent: number;
  groupsRaw: number;
  groupsContent: number;
  groupsTrue: number;
  rawTokens: number;
  summaryTokens: number;
  tokenReduction: number;
  shownFull: number;
  shownCondensed: number;
  folded: number;
}

function readSystem(
  dir: string,
  system: string,
): { lines: string[]; content: string[]; truth: string[]; raw: string } {
  const logFile = path.join(dir, system, `${system}_2k.log`);
  const csvFile = path.join(dir, system, `${system}_2k.log_structured_corrected.csv`);
  if (!existsSync(logFile) || !existsSync(csvFile)) throw new Error(`missing ${logFile} or ${csvFile}`);
  const raw = readFileSync(logFile, 'utf8');
  const lines = raw.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const recs = parseCsvRecords(readFileSync(csvFile, 'utf8'));
  if (recs.length !== lines.length)
    throw new Error(`${system}: ${lines.length} log lines but ${recs.length} CSV rows`);
  return { lines, content: recs.map((r) => r.Content), truth: recs.map((r) => r.EventId), raw };
}

function evalSystem(dir: string, system: string, budget: number): SystemResult {
  const { lines, content, truth, raw } = readSystem(dir, system);
  const rawMiner = new TemplateMiner();
  const predRaw = lines.map((l) => rawMiner.addIndex(l, splitHeader(l).messageStart));
  const contentMiner = new TemplateMiner();
  const predContent = content.map((c) => contentMiner.addIndex(c));
  const summary = summarizeLogs(
    linesToRecords(lines, system),
    { tokenBudget: budget },
    { inputOrdered: true },
  );
  const groups = summary.services.flatMap((s) => s.severities.flatMap((v) => v.groups));
  const rawTokens = countTokens(raw);
  const summaryTokens = countTokens(renderSummary(summary));
  return {
    system,
    gaRaw: groupingAccuracy(predRaw, truth),
    gaContent: groupingAccuracy(predContent, truth),
    groupsRaw: rawMiner.groups().length,
    groupsContent: contentMiner.groups().length,
    groupsTrue: new Set(truth).size,
    rawTokens,
    summaryTokens,
    tokenReduction: 1 - summaryTokens / rawTokens,
    shownFull: groups.filter((g) => g.detail === 'full').length,
    shownCondensed: groups.filter((g) => g.detail === 'condensed').length,
    folded: groups.filter((g) => g.detail === 'folded').length,
  };
}

function throughput(dir: string, reps: number) {
  const base = SYSTEMS.flatMap((s) => readSystem(dir, s).lines);
  const copies = Math.ceil(CORPUS_MIN_LINES / base.length);
  const corpus: string[] = [];
  for (let c = 0; c < copies; c++) for (const l of base) corpus.push(l);
  const cpu: number[] = [];
  const wall: number[] = [];
  let groups = 0;
  for (let r = 0; r < reps; r++) {
    const { result, wallS, cpuS } = timed(() => {
      const m = new TemplateMiner();
      for (const l of corpus) m.addIndex(l, splitHeader(l).messageStart);
      return m.groups().length;
    });
    groups = result;
    cpu.push(corpus.length / cpuS);
    wall.push(corpus.length / wallS);
  }
  const miningPeakRssMb = peakRssMb();
  // The whole summariser (grouping, samples, variable summaries, rendering) on 10 copies.
  const rows = linesToRecords(Array.from({ length: 10 }, () => base).flat(), 'corpus');
  const full = timed(() => renderSummary(summarizeLogs(rows, { tokenBudget: 4000 }, { inputOrdered: true })));
  return {
    corpusLines: corpus.length,
    groups,
    linesPerCpuSecond: median(cpu),
    linesPerCpuSecondSpread: spread(cpu),
    linesPerWallSecond: median(wall),
    reps,
    summarizeRows: rows.length,
    summarizeRowsPerCpuSecond: rows.length / full.cpuS,
    miningPeakRssMb,
    peakRssMb: peakRssMb(),
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(args.data)) {
    process.stderr.write(`bench:summarize: dataset folder not found: ${args.data} (use --data DIR)\n`);
    process.exit(2);
  }
  const systems = SYSTEMS.map((s) => evalSystem(args.data, s, args.budget));
  const tp = throughput(args.data, args.reps);
  const result = {
    dataset: args.data,
    tokenBudget: args.budget,
    systems,
    mean: {
      gaRaw: mean(systems.map((s) => s.gaRaw)),
      gaContent: mean(systems.map((s) => s.gaContent)),
      tokenReduction: mean(systems.map((s) => s.tokenReduction)),
    },
    throughput: tp,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const table = formatTable(
    [
      'system',
      'GA raw',
      'GA content',
      'groups raw/content/true',
      'raw tok',
      'summary tok',
      'reduction',
      'full/condensed/folded',
    ],
    systems.map((s) => [
      s.system,
      s.gaRaw,
      s.gaContent,
      `${s.groupsRaw}/${s.groupsContent}/${s.groupsTrue}`,
      s.rawTokens,
      s.summaryTokens,
      pct(s.tokenReduction),
      `${s.shownFull}/${s.shownCondensed}/${s.folded}`,
    ]),
  );
  const out = [
    `Loghub-2k (corrected), ${args.data}; summary budget ${args.budget} tokens (cl100k)`,
    table,
    `mean GA raw ${result.mean.gaRaw.toFixed(3)}, GA content ${result.mean.gaContent.toFixed(3)}, token reduction ${pct(result.mean.tokenReduction)}`,
    `throughput (header split + mask + mine), ${tp.corpusLines} lines, ${tp.groups} groups: ` +
      `${Math.round(tp.linesPerCpuSecond)} lines/CPU-s (±${pct(tp.linesPerCpuSecondSpread)}, median of ${tp.reps}), ` +
      `${Math.round(tp.linesPerWallSecond)} lines/wall-s`,
    `summarizeLogs end to end on ${tp.summarizeRows} rows: ${Math.round(tp.summarizeRowsPerCpuSecond)} rows/CPU-s`,
    `peak memory (RSS, whole process incl. the corpus in memory): ${tp.miningPeakRssMb.toFixed(0)} MB after mining, ` +
      `${tp.peakRssMb.toFixed(0)} MB after summarizeLogs`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
