/**
 * Command line: `npm run summarize -- [--groups] [--budget N] [--service NAME] FILE` (`--help`)
 *   prints the summary of FILE's lines (raw log lines or JSON-lines LogRecords), or with `--groups`
 *   the template group id of each input line, one per line, in input order. `-` reads stdin.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCli, usageExit } from '../../providers/cli';
import { linesToRecords } from './records';
import { renderSummary } from './render';
import { groupRows, summarizeLogs } from './summarize';

const USAGE = `usage: npm run summarize -- [--groups] [--budget TOKENS] [--service NAME] FILE

Prints the summary of FILE's lines (raw log lines or JSON-lines LogRecords); \`-\` reads stdin.
  --groups          instead, the template group id of each input line, one per line, in input order
  --budget TOKENS   the summary's token budget (default 4000)
  --service NAME    the service the lines belong to (default: FILE's name)
  --help            this text`;

interface Args {
  groups: boolean;
  budget: number;
  service?: string;
  file: string;
}

function parseArgs(argv: string[]): Args {
  const { values, positionals } = parseCli(
    {
      usage: USAGE,
      options: { groups: { type: 'boolean' }, budget: { type: 'string' }, service: { type: 'string' } },
      positionals: { min: 1, max: 1, name: 'FILE' },
      config: false,
    },
    argv,
  );
  const budget = values.budget === undefined ? 4000 : Number(values.budget);
  if (!Number.isFinite(budget) || budget <= 0)
    usageExit(USAGE, `--budget needs a positive number of tokens, got "${values.budget}"`);
  if (values.service === '') usageExit(USAGE, '--service needs a name');
  return { groups: values.groups ?? false, budget, service: values.service, file: positionals[0]! };
}

function readLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  try {
    const lines = readLines(args.file);
    const service =
      args.service ?? (args.file === '-' ? 'stdin' : path.basename(args.file).replace(/\.[^.]*$/, ''));
    const records = linesToRecords(lines, service);
    if (args.groups) {
      const { ids } = groupRows(records, true);
      process.stdout.write(ids.length > 0 ? `${ids.join('\n')}\n` : '');
    } else {
      const summary = summarizeLogs(records, { tokenBudget: args.budget }, { inputOrdered: true });
      process.stdout.write(`${renderSummary(summary)}\n`);
    }
  } catch (err) {
    process.stderr.write(`summarize: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

main();
