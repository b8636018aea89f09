/**
 * Benchmark of the log summariser on Loghub-2k (corrected ground truth): every system found in the
 * data folder (`<Name>/<Name>_2k.log` + `_structured_corrected.csv`; the shared folder holds 8).
 *   npm run bench:summarize [-- --json] [-- --data DIR] [-- --budget TOKENS] [-- --reps N]
 * Per system: grouping accuracy (GA) on the raw lines (header learned per file, no per-system
 * settings) and on the ground truth's Content column; groups found vs true; token reduction of the
 * rendered summary against the raw lines (cl100k tokens), how many groups the summary shows in
 * full / condensed / folded, and whether every row is accounted for. Then the leave-one-out GA: the
 * global settings (header stability, miner similarity) chosen on the other systems, measured on the
 * one left out. Then GA on the synthetic logs of test/fixtures/log-shapes (development shapes and
 * held-out shapes apart). Then throughput (lines per CPU-second and per wall-second) and peak
 * memory of header split + masking + mining on a corpus of the sets concatenated to ≥1.5 M lines,
 * and of the whole summarizeLogs on a smaller corpus. Figures, not tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { countTokens, renderSummary, summarizeLogs, TemplateMiner } from '../pipeline/summarize';
import { DEFAULT_HEADER_OPTIONS, HeaderSplitter } from '../pipeline/summarize/header';
import { DEFAULT_MINER_OPTIONS } from '../pipeline/summarize/miner';
import { linesToRecords } from '../pipeline/summarize/records';
import { SHAPES } from '../test/fixtures/log-shapes/shapes';
import { parseBenchArgs } from './lib/args';
import { parseCsvRecords } from './lib/csv';
import { groupingAccuracy } from './lib/grouping';
import { mean, median, peakRssMb, spread, timed } from './lib/stats';
import { formatTable, pct } from './lib/table';

/** Order of the shared eight in tables; other systems found in the folder follow, sorted. */
const KNOWN = ['HDFS', 'Apache', 'HealthApp', 'OpenSSH', 'Spark', 'Zookeeper', 'BGL', 'Linux'];
const CORPUS_MIN_LINES = 1_500_000;
/** Lines a header is learned from (the first lines of each file or stream). */
const SAMPLE_LINES = 256;
/** Global settings searched by the leave-one-out run (the defaults are among them). */
const STABILITY_GRID = [0.75, 0.85, 0.95];
const SIMILARITY_GRID = [0.5, 0.6, 0.7, 0.8];
const VARIETY_GRID = [0, 3, 4, 6];
const SHAPE_LINES = 400;

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
  /** Rows the summary accounts for (shown, condensed or folded groups) — must equal the input rows. */
  rowsAccounted: number;
  rows: number;
}

interface Settings {
  stability: number;
  similarity: number;
  wordVariety: number;
  keepWordsApart: boolean;
}

const DEFAULTS: Settings = {
  stability: DEFAULT_HEADER_OPTIONS.stability,
  similarity: DEFAULT_MINER_OPTIONS.similarity,
  wordVariety: DEFAULT_MINER_OPTIONS.wordVariety,
  keepWordsApart: DEFAULT_MINER_OPTIONS.keepWordsApart,
};

function systemsIn(dir: string): string[] {
  const found = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, `${d.name}_2k.log`)))
    .map((d) => d.name);
  const known = KNOWN.filter((s) => found.includes(s));
  return [...known, ...found.filter((s) => !KNOWN.includes(s)).sort()];
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

/** GA of header split + mask + mine on raw lines, the header learned from the first lines. */
function gaRaw(lines: readonly string[], truth: readonly string[], settings: Settings = DEFAULTS) {
  const splitter = new HeaderSplitter(lines.slice(0, SAMPLE_LINES), { stability: settings.stability });
  const miner = new TemplateMiner({
    similarity: settings.similarity,
    wordVariety: settings.wordVariety,
    keepWordsApart: settings.keepWordsApart,
  });
  const first = lines.map((l) => miner.addIndex(l, splitter.messageStart(l)));
  // Groups may merge after a line was placed (a word proved variable): score the final grouping.
  const pred = first.map((i) => miner.resolve(i));
  return { ga: groupingAccuracy(pred, truth), groups: miner.groups().length };
}

function evalSystem(dir: string, system: string, budget: number): SystemResult {
  const { lines, content, truth, raw } = readSystem(dir, system);
  const rawRun = gaRaw(lines, truth);
  const contentMiner = new TemplateMiner();
  const predContent = content.map((c) => contentMiner.addIndex(c)).map((i) => contentMiner.resolve(i));
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
    gaRaw: rawRun.ga,
    gaContent: groupingAccuracy(predContent, truth),
    groupsRaw: rawRun.groups,
    groupsContent: contentMiner.groups().length,
    groupsTrue: new Set(truth).size,
    rawTokens,
    summaryTokens,
    tokenReduction: 1 - summaryTokens / rawTokens,
    shownFull: groups.filter((g) => g.detail === 'full').length,
    shownCondensed: groups.filter((g) => g.detail === 'condensed').length,
    folded: groups.filter((g) => g.detail === 'folded').length,
    rowsAccounted: groups.reduce((n, g) => n + g.count, 0),
    rows: lines.length,
  };
}

/**
 * Leave-one-out: for each system, the settings of the grid with the best mean GA on the others
 * (ties: the shipped defaults, then grid order) are measured on it. Settings fitted to one format
 * show up as a leave-one-out mean below the all-in mean.
 */
function leaveOneOut(dir: string, systems: readonly string[]) {
  const data = systems.map((s) => readSystem(dir, s));
  const grid: Settings[] = [DEFAULTS];
  for (const stability of STABILITY_GRID)
    for (const similarity of SIMILARITY_GRID)
      for (const wordVariety of VARIETY_GRID)
        for (const keepWordsApart of [false, true]) {
          const g = { stability, similarity, wordVariety, keepWordsApart };
          if (JSON.stringify(g) !== JSON.stringify(DEFAULTS)) grid.push(g);
        }
  const ga = grid.map((g) => data.map((d) => gaRaw(d.lines, d.truth, g).ga));
  const bestOn = (include: (i: number) => boolean) => {
    let best = 0;
    let bestMean = -1;
    grid.forEach((_, gi) => {
      const vals = ga[gi].filter((_, i) => include(i));
      const m = mean(vals);
      if (m > bestMean + 1e-12) {
        best = gi;
        bestMean = m;
      }
    });
    return best;
  };
  const perSystem = systems.map((system, i) => {
    const gi = bestOn((j) => j !== i);
    return { system, ga: ga[gi][i], settings: grid[gi] };
  });
  const allIn = bestOn(() => true);
  return {
    perSystem,
    mean: mean(perSystem.map((p) => p.ga)),
    bestOnAll: { settings: grid[allIn], meanGa: mean(ga[allIn]) },
    defaultsMeanGa: mean(ga[0]),
  };
}

/** GA on the synthetic shapes (defaults), development and held-out shapes apart. */
function shapes() {
  const rows = SHAPES.map((shape) => {
    const { lines, truth } = shape.generate(SHAPE_LINES);
    return { shape: shape.name, heldOut: shape.heldOut, ga: gaRaw(lines, truth).ga };
  });
  return {
    rows,
    devMean: mean(rows.filter((r) => !r.heldOut).map((r) => r.ga)),
    heldOutMean: mean(rows.filter((r) => r.heldOut).map((r) => r.ga)),
  };
}

function throughput(dir: string, systems: readonly string[], reps: number) {
  const base = systems.flatMap((s) => readSystem(dir, s).lines);
  const copies = Math.ceil(CORPUS_MIN_LINES / base.length);
  const corpus: string[] = [];
  for (let c = 0; c < copies; c++) for (const l of base) corpus.push(l);
  const cpu: number[] = [];
  const wall: number[] = [];
  let groups = 0;
  for (let r = 0; r < reps; r++) {
    const { result, wallS, cpuS } = timed(() => {
      // One stream: the splitter learns from its first lines and relearns when the format changes.
      const splitter = new HeaderSplitter(corpus.slice(0, SAMPLE_LINES));
      const m = new TemplateMiner();
      for (const l of corpus) m.addIndex(l, splitter.messageStart(l));
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
  const names = systemsIn(args.data);
  if (names.length === 0) {
    process.stderr.write(`bench:summarize: no <Name>/<Name>_2k.log under ${args.data}\n`);
    process.exit(2);
  }
  const systems = names.map((s) => evalSystem(args.data, s, args.budget));
  const loo = leaveOneOut(args.data, names);
  const synthetic = shapes();
  const tp = throughput(args.data, names, args.reps);
  const loadAverage = loadavg();
  const result = {
    dataset: args.data,
    tokenBudget: args.budget,
    systems,
    mean: {
      gaRaw: mean(systems.map((s) => s.gaRaw)),
      gaContent: mean(systems.map((s) => s.gaContent)),
      tokenReduction: mean(systems.map((s) => s.tokenReduction)),
    },
    leaveOneOut: loo,
    synthetic,
    throughput: tp,
    loadAverage,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const table = formatTable(
    [
      'system',
      'GA raw',
      'GA LOO',
      'GA content',
      'groups raw/content/true',
      'raw tok',
      'summary tok',
      'reduction',
      'full/condensed/folded',
      'rows accounted',
    ],
    systems.map((s, i) => [
      s.system,
      s.gaRaw,
      loo.perSystem[i].ga,
      s.gaContent,
      `${s.groupsRaw}/${s.groupsContent}/${s.groupsTrue}`,
      s.rawTokens,
      s.summaryTokens,
      pct(s.tokenReduction),
      `${s.shownFull}/${s.shownCondensed}/${s.folded}`,
      `${s.rowsAccounted}/${s.rows}`,
    ]),
  );
  const st = (x: Settings) =>
    `stability ${x.stability}, similarity ${x.similarity}, word variety ${x.wordVariety}, keep words apart ${x.keepWordsApart}`;
  const out = [
    `Loghub-2k (corrected), ${args.data}; summary budget ${args.budget} tokens (cl100k)`,
    table,
    `mean GA raw ${result.mean.gaRaw.toFixed(3)} (shipped defaults: ${st(DEFAULTS)}), GA content ${result.mean.gaContent.toFixed(3)}, token reduction ${pct(result.mean.tokenReduction)}`,
    `leave-one-out mean GA ${loo.mean.toFixed(3)} (settings chosen on the other systems each time; best on all: ${st(loo.bestOnAll.settings)} → ${loo.bestOnAll.meanGa.toFixed(3)})`,
    `synthetic shapes (test/fixtures/log-shapes, ${SHAPE_LINES} lines each): ` +
      synthetic.rows.map((r) => `${r.shape}${r.heldOut ? '*' : ''} ${r.ga.toFixed(3)}`).join(', '),
    `  development mean ${synthetic.devMean.toFixed(3)}, held-out (*) mean ${synthetic.heldOutMean.toFixed(3)}`,
    `throughput (header split + mask + mine), ${tp.corpusLines} lines, ${tp.groups} groups: ` +
      `${Math.round(tp.linesPerCpuSecond)} lines/CPU-s (±${pct(tp.linesPerCpuSecondSpread)}, median of ${tp.reps}), ` +
      `${Math.round(tp.linesPerWallSecond)} lines/wall-s; load average ${loadAverage.map((l) => l.toFixed(2)).join(' ')}`,
    `summarizeLogs end to end on ${tp.summarizeRows} rows: ${Math.round(tp.summarizeRowsPerCpuSecond)} rows/CPU-s`,
    `peak memory (RSS, whole process incl. the corpus in memory): ${tp.miningPeakRssMb.toFixed(0)} MB after mining, ` +
      `${tp.peakRssMb.toFixed(0)} MB after summarizeLogs`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
