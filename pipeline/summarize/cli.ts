/**
 * Command line: `summarize [--groups] [--budget N] [--service NAME] FILE`
 *   prints the summary of FILE's lines (raw log lines or JSON-lines LogRecords), or with `--groups`
 *   the template group id of each input line, one per line, in input order. `-` reads stdin.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { linesToRecords } from './records';
import { renderSummary } from './render';
import { groupRows, summarizeLogs } from './summarize';

const USAGE = 'usage: summarize [--groups] [--budget TOKENS] [--service NAME] FILE';

interface Args {
  groups: boolean;
  budget: number;
  service?: string;
  file: string;
}

function parseArgs(argv: string[]): Args {
  let groups = false;
  let budget = 4000;
  let service: string | undefined;
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--groups') groups = true;
    else if (a === '--budget') {
      budget = Number(argv[++i]);
      if (!Number.isFinite(budget) || budget <= 0)
        throw new Error(`--budget needs a positive number of tokens`);
    } else if (a === '--service') {
      service = argv[++i];
      if (!service) throw new Error('--service needs a name');
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (file === undefined) throw new Error('missing FILE');
  return { groups, budget, service, file };
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
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`summarize: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
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
