// `npm run faults [-- --filter <id part>] [--json]`: drives the real code paths with each fault of
// test/faults/catalogue.ts and prints, per fault, injected / survived / data lost.
// Exit codes: 0 every fault survived with no data lost, 3 otherwise, 2 bad usage.
import '../eval/quiet';
import { parseCli } from '../../providers/cli';
import type { runFault as RunFault } from './catalogue';

const USAGE = `usage: npm run faults -- [--filter <id part>] [--json]

Drives the real code paths with each fault of test/faults/catalogue.ts and prints, per fault,
injected / survived / data lost.
  --filter <text>  only the faults whose id contains <text>
  --json           one JSON object on stdout
  --help           this text
Exit codes: 0 every fault survived with no data lost, 3 otherwise, 2 bad usage, 1 failure.`;

// Work a fault left running in the background must not kill the run unseen: it is reported.
const background: string[] = [];
process.on('unhandledRejection', (e) => {
  background.push((e as Error)?.message ?? String(e));
});

async function main(argv: string[]): Promise<void> {
  const { values } = parseCli(
    { usage: USAGE, options: { filter: { type: 'string' }, json: { type: 'boolean' } } },
    argv,
  );
  const json = values.json ?? false;
  const filter = values.filter;
  const { FAULTS, runFault }: typeof import('./catalogue') = require('./catalogue');
  const chosen = FAULTS.filter((f) => !filter || f.id.includes(filter));
  const rows: Awaited<ReturnType<typeof RunFault>>[] = [];
  for (const f of chosen) {
    const r = await runFault(f);
    rows.push(r);
    if (!json) process.stderr.write(`${r.id}: ${r.survived ? 'survived' : 'NOT SURVIVED'} (${r.ms} ms)\n`);
  }
  const summary = {
    faults: rows.length,
    injected: rows.filter((r) => r.injected).length,
    survived: rows.filter((r) => r.injected && r.survived && !r.data_lost).length,
    lost: rows.reduce((n, r) => n + (r.lost ?? 0), 0),
    double_actions: rows.reduce((n, r) => n + (r.double_actions ?? 0), 0),
  };
  if (json) {
    const faults = rows.map((r) => ({
      id: r.id,
      injected: r.injected,
      survived: r.survived,
      lost: r.lost ?? 0,
      double_actions: r.double_actions ?? 0,
      detail: r.detail,
      ms: r.ms,
    }));
    process.stdout.write(`${JSON.stringify({ faults, summary })}\n`);
  } else {
    const head = ['fault', 'injected', 'survived', 'data lost', 'what happened'];
    const body = rows.map((r) => [
      r.id,
      r.injected ? 'yes' : 'NO',
      r.survived ? 'yes' : 'NO',
      r.data_lost ? 'YES' : 'no',
      r.detail,
    ]);
    const w = head.map((h, i) =>
      Math.max(h.length, ...body.map((b) => Math.min(b[i]!.length, i === 4 ? 120 : 60))),
    );
    const line = (c: string[]) => c.map((x, i) => (i === 4 ? x.slice(0, 120) : x.padEnd(w[i]!))).join('  ');
    process.stdout.write(
      `${[line(head), line(w.map((n) => '-'.repeat(n))), ...body.map(line)].join('\n')}\n`,
    );
    for (const r of rows.filter((x) => !x.survived || x.data_lost))
      process.stdout.write(
        `  ${r.id} failed checks: ${Object.entries(r.checks)
          .filter(([, ok]) => !ok)
          .map(([k]) => k)
          .join('; ')}\n`,
      );
    const ok = rows.filter((r) => r.injected && r.survived && !r.data_lost).length;
    process.stdout.write(
      `${ok}/${rows.length} faults injected and survived with no data lost; lost ${summary.lost}, double actions ${summary.double_actions}\n`,
    );
  }
  if (background.length) process.stderr.write(`background errors after faults: ${background.join(' | ')}\n`);
  if (rows.some((r) => !r.injected || !r.survived || r.data_lost) || background.length) process.exitCode = 3;
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`faults failed: ${(e as Error).message}\n`);
  process.exit(1);
});
