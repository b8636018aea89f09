// `npm run eval -- --provider mock|vllm|gemini [--dir folder] [--filter tag] [--repeat n] [--json]`
// Runs the analysis agent on every scenario of test/scenarios (or --dir, any folder of the same format), prints a table and a summary (or one
// JSON object with --json), writes test-output/eval-report.md. Exit codes: 0 done with no unsafe
// action, 3 done but an unsafe action was proposed, 2 bad usage, 1 failure.
import './quiet';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { caseTable, markdownReport, summaryText } from './report';
import { type EvalProvider, runEval } from './run';

const USAGE =
  'usage: npm run eval -- --provider mock|vllm|gemini [--dir folder] [--filter tag] [--repeat n] [--json]';

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export function parseArgs(argv: string[]): {
  provider: EvalProvider;
  filter?: string;
  dir?: string;
  repeat: number;
  json: boolean;
} {
  let provider: EvalProvider = 'mock';
  let filter: string | undefined;
  let dir: string | undefined;
  let repeat = 1;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--provider') {
      const v = value();
      if (v !== 'mock' && v !== 'vllm' && v !== 'gemini')
        throw new Error(`--provider must be mock, vllm or gemini, got "${v}"`);
      provider = v;
    } else if (a === '--filter') filter = value();
    else if (a === '--dir') dir = resolve(value());
    else if (a === '--repeat') {
      const v = value();
      repeat = Number(v);
      if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20)
        throw new Error(`--repeat must be an integer 1–20, got "${v}"`);
    } else if (a === '--json') json = true;
    else throw new Error(`unknown argument "${a}"`);
  }
  return { provider, filter, dir, repeat, json };
}

async function main(argv: string[]): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    fail(2, `${(e as Error).message}\n${USAGE}`);
  }
  const report = await runEval({
    provider: args.provider,
    filter: args.filter,
    scenariosDir: args.dir,
    repeat: args.repeat,
    onResult: args.json
      ? undefined
      : (r) =>
          process.stderr.write(
            `${r.id}: root cause ${r.root_cause_correct ? 'ok' : 'WRONG'}, action ${r.action_correct ? 'ok' : 'WRONG'}, route ${r.route}${r.unsafe ? ' UNSAFE' : ''} (${r.latency_ms} ms)\n`,
          ),
  });
  const dir = join(process.cwd(), 'test-output');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'eval-report.md');
  writeFileSync(file, markdownReport(report, new Date()));
  if (args.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    process.stdout.write(`${caseTable(report.cases)}\n\n${summaryText(report)}\nreport: ${file}\n`);
  }
  if (report.summary.unsafe > 0) process.exitCode = 3;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => fail(1, `eval failed: ${(e as Error).message}`));
}
