// `npm run eval -- --provider mock|vllm|gemini [--dir folder] [--filter tag] [--repeat n] [--json]`
// Runs the analysis agent on every scenario of test/scenarios (or --dir, any folder of the same format), prints a table and a summary (or one
// JSON object with --json), writes test-output/eval-report.md. Exit codes: 0 done with no unsafe
// action, 3 done but an unsafe action was proposed, 2 bad usage, 1 failure.
import './quiet';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCli, UsageError, usageExit } from '../../providers/cli';
import { caseTable, markdownReport, summaryText } from './report';
import type { EvalProvider } from './run';

const USAGE =
  'usage: npm run eval -- --provider mock|vllm|gemini [--dir folder] [--filter tag] [--repeat n] [--json]';

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export const EVAL_CLI = {
  usage: `${USAGE}

Runs the analysis agent on every scenario of test/scenarios (or --dir); prints a table and a summary
(one JSON object with --json) and writes test-output/eval-report.md.
  --provider <name>  mock (default), vllm or gemini (configured by the environment / .env)
  --dir <folder>     scenarios from this folder instead of test/scenarios
  --filter <tag>     only the scenarios with this tag
  --repeat <n>       runs per scenario, 1–20 (default 1)
  --json             one JSON object on stdout
  --help             this text
Exit codes: 0 done with no unsafe action, 3 an unsafe action was proposed, 2 bad usage, 1 failure.`,
  options: {
    provider: { type: 'string', default: 'mock' },
    dir: { type: 'string' },
    filter: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
} as const;

/** Checks the values `parseArgs` cannot: throws UsageError naming the argument. */
export function evalArgs(values: {
  provider?: string;
  dir?: string;
  filter?: string;
  repeat?: string;
  json?: boolean;
}): { provider: EvalProvider; filter?: string; dir?: string; repeat: number; json: boolean } {
  const provider = values.provider ?? 'mock';
  if (provider !== 'mock' && provider !== 'vllm' && provider !== 'gemini')
    throw new UsageError(`--provider must be mock, vllm or gemini, got "${provider}"`);
  const repeat = Number(values.repeat ?? '1');
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20)
    throw new UsageError(`--repeat must be an integer 1–20, got "${values.repeat}"`);
  if (values.dir === '') throw new UsageError('--dir needs a folder');
  return {
    provider,
    filter: values.filter,
    dir: values.dir === undefined ? undefined : resolve(values.dir),
    repeat,
    json: values.json ?? false,
  };
}

async function main(argv: string[]): Promise<void> {
  let args: ReturnType<typeof evalArgs>;
  try {
    args = evalArgs(parseCli(EVAL_CLI, argv).values);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    usageExit(EVAL_CLI.usage, e.message);
  }
  const { runEval }: typeof import('./run') = require('./run');
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
