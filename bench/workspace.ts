// `npx tsx bench/workspace.ts [--seconds 120] [--speed 60] [--json]`: runs `npm start`'s entry
// (bot/local/start.cjs: the cached bundle) as a child process and prints the figures of issues 9 and
// 18 beside their targets: time to the URL, to the page served, to the first incident card, memory
// (RSS of the process tree) over the run, and time to shut down on Ctrl-C; with the load average.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { formatTable } from './lib/table';

const ROOT = resolve(__dirname, '..');
const json = process.argv.includes('--json');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const seconds = arg('seconds', 120);
const speed = arg('speed', 60);

/** RSS in MB of a process and all its descendants (tsx runs the entry in a child node). */
function treeRssMb(pid: number): number {
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const tree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [p, pp] of parents)
      if (!tree.has(p) && tree.has(pp)) {
        tree.add(p);
        grew = true;
      }
  }
  let kb = 0;
  for (const p of tree) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

async function poll<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: nothing within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bot/local/start.cjs', '--port', '0', '--speed', String(speed)], {
    cwd: ROOT,
    env: { ...process.env, BDP_LOCAL_LOG_FILE: join(ROOT, 'test-output', 'bench-workspace.log') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  try {
    const url = await poll('the URL line', 120_000, async () => /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]);
    const urlMs = performance.now() - t0;
    await poll('the page', 30_000, async () => ((await fetch(url)).ok ? true : undefined));
    const pageMs = performance.now() - t0;
    const cards = async () => {
      const s = (await (await fetch(`${url}/api/state?user=U0APPROVER`)).json()) as {
        messages: { bot_id?: string; thread_ts?: string; ts: string }[];
      };
      return s.messages.filter((m) => m.bot_id && (!m.thread_ts || m.thread_ts === m.ts));
    };
    await poll('the first incident card', 120_000, async () =>
      (await cards()).length > 0 ? true : undefined,
    );
    const cardMs = performance.now() - t0;

    const samples: number[] = [treeRssMb(child.pid!)];
    const runStart = performance.now();
    while (performance.now() - runStart < seconds * 1000) {
      await new Promise((r) => setTimeout(r, 5_000));
      samples.push(treeRssMb(child.pid!));
    }
    const finalCards = (await cards()).length;

    const stopAt = performance.now();
    child.kill('SIGINT');
    const code = await exited;
    const stopMs = performance.now() - stopAt;

    const peak = Math.max(...samples);
    if (json) {
      const fig = (name: string, unit: string, median: number, target?: string, met?: boolean) => ({
        name,
        unit,
        median,
        spread: 0,
        runs: 1,
        ...(target ? { target, met } : {}),
      });
      const figures = [
        fig('npm start: URL printed', 's', urlMs / 1000, '≤ 3 s', urlMs <= 3000),
        fig('npm start: page served', 's', pageMs / 1000),
        fig('npm start: first incident card', 's', cardMs / 1000, '≤ 10 s', cardMs <= 10_000),
        fig('npm start: RSS of the process tree, peak', 'MB', peak, '≤ 300 MB', peak <= 300),
        fig('npm start: shutdown on SIGINT', 's', stopMs / 1000),
      ];
      process.stdout.write(`${JSON.stringify({ bench: 'workspace', load_average: loadavg(), figures })}\n`);
      return;
    }
    console.log(
      `\nLocal workspace (npm start), speed ${speed}×, ${seconds} s run = ${((seconds * speed) / 3600).toFixed(1)} simulated hours\n`,
    );
    console.log(
      formatTable(
        ['figure', 'value', 'target'],
        [
          ['URL printed (s)', (urlMs / 1000).toFixed(1), '≤ 3'],
          ['page served (s)', (pageMs / 1000).toFixed(1), ''],
          ['first incident card (s)', (cardMs / 1000).toFixed(1), '≤ 10'],
          ['RSS after first card (MB)', samples[0]!.toFixed(0), ''],
          ['RSS peak (MB)', peak.toFixed(0), '≤ 300'],
          ['RSS at end (MB)', samples[samples.length - 1]!.toFixed(0), ''],
          ['incident cards posted', String(finalCards), ''],
          ['shutdown on SIGINT (s)', (stopMs / 1000).toFixed(2), ''],
          ['exit code', String(code), '0'],
        ],
      ),
    );
    console.log(`\nRSS samples (MB, every 5 s): ${samples.map((s) => s.toFixed(0)).join(' ')}`);
    console.log(
      `load average (1, 5, 15 min): ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

main().catch((e: unknown) => {
  console.error(`bench/workspace failed: ${(e as Error).message}`);
  process.exit(1);
});
