/**
 * Detection over 1 million unified-log rows on PGlite: the detection query's time (median of several
 * runs) and how many rows it reads against how many the table holds (EXPLAIN ANALYZE).
 *
 *   npm run bench -- (via run-all) | tsx bench/detection.ts [--rows N] [--runs N] [--json]
 */
import '../test/eval/quiet';
import { detectionWindow } from '../pipeline/detection';
import { PgliteExecutor } from '../providers/aws/unified-logs/pglite-executor';
import { SqlUnifiedLogProvider } from '../providers/aws/unified-logs/provider';
import { loadConfig } from '../providers/config';
import { parseBenchArgs } from './lib/args';
import { median, spread } from './lib/stats';
import { formatTable } from './lib/table';

const parseArgs = (argv: string[]) => parseBenchArgs(argv, { rows: 1_000_000, runs: 7 });

interface PlanNode {
  'Node Type': string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Rows the scans touched: what they returned plus what their filters threw away. */
function rowsRead(n: PlanNode): { read: number; scans: string[] } {
  let read = 0;
  const scans: string[] = [];
  if (/Scan/.test(n['Node Type']) && !/Bitmap Index Scan/.test(n['Node Type'])) {
    const loops = n['Actual Loops'] ?? 1;
    read +=
      ((n['Actual Rows'] ?? 0) +
        (n['Rows Removed by Filter'] ?? 0) +
        (n['Rows Removed by Index Recheck'] ?? 0)) *
      loops;
    scans.push(`${n['Node Type']}${n['Index Name'] ? ` on ${n['Index Name']}` : ''}`);
  }
  for (const c of n.Plans ?? []) {
    const r = rowsRead(c);
    read += r.read;
    scans.push(...r.scans);
  }
  return { read, scans };
}

const SERVICES = ['payments-api', 'ingest-worker', 'orders-db', 'stream-consumer', 'nightly-etl'];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig({});
  const table = config.UNIFIED_LOG_TABLE;
  const sql = new PgliteExecutor(table);
  const provider = new SqlUnifiedLogProvider(sql, table);
  const db = await sql.engine();
  const now = new Date('2026-11-26T08:00:00.000Z');
  // 24 h of logs, evenly spread; 4 % errors, 1 % fatal; five services.
  const t0 = performance.now();
  await db.query(
    `INSERT INTO ${table} (timestamp, service_name, log_level, message, metadata)
     SELECT $1::timestamptz - (g * (86400.0 / $2)) * interval '1 second',
            (ARRAY['${SERVICES.join("','")}'])[1 + g % 5],
            CASE WHEN g % 100 < 4 THEN 'ERROR' WHEN g % 100 = 4 THEN 'FATAL' WHEN g % 100 < 20 THEN 'WARN' ELSE 'INFO' END,
            'request ' || g || ' handled in ' || (g % 997) || ' ms',
            NULL
       FROM generate_series(1, $2) AS g`,
    [now.toISOString(), args.rows],
  );
  await db.exec(`ANALYZE ${table}`);
  const loadS = (performance.now() - t0) / 1000;
  const total = Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n);

  const w = detectionWindow(now, config.DETECTION_WINDOW_MINUTES, config.BASELINE_WINDOW_MINUTES);
  const q = { window_start: w.window_start, baseline_start: w.baseline_start, end: w.now };
  // One warm-up run (first query plans and fills caches), then the measured runs.
  await provider.errorCounts(q);
  const times: number[] = [];
  let services = 0;
  for (let i = 0; i < args.runs; i++) {
    const t = performance.now();
    services = (await provider.errorCounts(q)).length;
    times.push(performance.now() - t);
  }
  // The same SQL and parameters, explained (named parameters → positional, as the executor does).
  const named = provider.errorCountsSql();
  const order: string[] = [];
  const positional = named.replace(/:([a-z_]+)/g, (_m, n: string) => {
    let i = order.indexOf(n);
    if (i < 0) i = order.push(n) - 1;
    return `$${i + 1}`;
  });
  const params = order.map((n) => (q as Record<string, Date>)[n]!.toISOString());
  const explained = await db.query<{ 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${positional}`,
    params,
  );
  const plan = explained.rows[0]!['QUERY PLAN'][0]!;
  const { read, scans } = rowsRead(plan.Plan);
  // The index range the scan walks: every row of the 70 minutes, whatever its level.
  const inRange = Number(
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE timestamp >= $1 AND timestamp < $2`,
        [q.baseline_start.toISOString(), q.end.toISOString()],
      )
    ).rows[0]!.n,
  );
  const buffers = plan.Plan as PlanNode & { 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number };
  const blocks = (buffers['Shared Hit Blocks'] ?? 0) + (buffers['Shared Read Blocks'] ?? 0);
  const tableBlocks = Number(
    (await db.query<{ n: number }>(`SELECT relpages::int AS n FROM pg_class WHERE relname = $1`, [table]))
      .rows[0]!.n,
  );
  await sql.close();

  const result = {
    bench: 'detection',
    rows_in_table: total,
    load_seconds: Math.round(loadS * 10) / 10,
    services_with_errors: services,
    query_ms_median: Math.round(median(times) * 10) / 10,
    query_ms_spread: Math.round(spread(times) * 1000) / 1000,
    runs: args.runs,
    rows_read: read,
    rows_read_fraction: read / total,
    index_entries_in_time_range: inRange,
    buffer_blocks_touched: blocks,
    table_blocks: tableBlocks,
    scans,
    explain_execution_ms: plan['Execution Time'],
    window: {
      detection_minutes: config.DETECTION_WINDOW_MINUTES,
      baseline_minutes: config.BASELINE_WINDOW_MINUTES,
    },
    figures: [
      {
        name: `detection query over ${total.toLocaleString('en')} rows`,
        unit: 'ms',
        median: median(times),
        spread: spread(times),
        runs: args.runs,
      },
      {
        name: 'detection rows read / rows in table',
        unit: 'rows',
        median: read,
        spread: 0,
        runs: 1,
        note: `${((100 * read) / total).toFixed(2)} % of ${total} (index range walked: ${inRange} entries); ${[...new Set(scans)].join(', ')}`,
      },
      {
        name: 'detection buffer blocks touched / table blocks',
        unit: 'blocks',
        median: blocks,
        spread: 0,
        runs: 1,
        note: `table has ${tableBlocks} heap blocks`,
      },
    ],
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.log(
    formatTable(
      ['measure', 'value'],
      [
        ['rows in table', total],
        ['load time (s)', result.load_seconds],
        [`detection query, median of ${args.runs} (ms)`, result.query_ms_median],
        ['spread (± of median)', `${(result.query_ms_spread * 100).toFixed(1)} %`],
        ['rows read (EXPLAIN ANALYZE)', read],
        ['rows read / rows in table', `${((100 * read) / total).toFixed(2)} %`],
        ['index entries in the time range walked', inRange],
        ['buffer blocks touched / heap blocks', `${blocks} / ${tableBlocks}`],
        ['plan scans', [...new Set(scans)].join(', ')],
      ],
    ),
  );
}

main().catch((e) => {
  process.stderr.write(`bench detection failed: ${(e as Error).message}\n`);
  process.exit(1);
});
