import { toPositional } from '../../../providers/aws/unified-logs/named-params';
import { PgliteExecutor } from '../../../providers/aws/unified-logs/pglite-executor';
import { SqlUnifiedLogProvider } from '../../../providers/aws/unified-logs/provider';
import {
  readUnifiedLogSchemaFile,
  unifiedLogSchemaStatements,
} from '../../../providers/aws/unified-logs/schema';

// One PGlite for the whole file (start-up takes seconds).
const sql = new PgliteExecutor('unified_logs');
const logs = new SqlUnifiedLogProvider(sql, 'unified_logs');
const end = new Date('2026-11-26T07:00:00Z');
const windowStart = new Date('2026-11-26T06:50:00Z');
const baselineStart = new Date('2026-11-26T06:00:00Z');
const at = (minutesBeforeEnd: number) => new Date(end.getTime() - minutesBeforeEnd * 60_000).toISOString();

beforeAll(async () => {
  await logs.insert([
    // payments-api: 3 errors in the window (one FATAL), 2 in the baseline, 1 before the baseline, 1 WARN.
    {
      timestamp: at(1),
      service_name: 'payments-api',
      log_level: 'ERROR',
      message: 'Task timed out',
      metadata: { request_id: 'r1' },
    },
    {
      timestamp: at(2),
      service_name: 'payments-api',
      log_level: 'FATAL',
      message: 'OutOfMemory',
      metadata: null,
    },
    {
      timestamp: at(10),
      service_name: 'payments-api',
      log_level: 'ERROR',
      message: 'edge: window start is inside',
      metadata: null,
    },
    {
      timestamp: at(11),
      service_name: 'payments-api',
      log_level: 'ERROR',
      message: 'baseline',
      metadata: null,
    },
    {
      timestamp: at(60),
      service_name: 'payments-api',
      log_level: 'ERROR',
      message: 'edge: baseline start is inside',
      metadata: null,
    },
    {
      timestamp: at(61),
      service_name: 'payments-api',
      log_level: 'ERROR',
      message: 'too old',
      metadata: null,
    },
    { timestamp: at(3), service_name: 'payments-api', log_level: 'WARN', message: 'slow', metadata: null },
    // end is exclusive.
    { timestamp: at(0), service_name: 'payments-api', log_level: 'ERROR', message: 'at end', metadata: null },
    {
      timestamp: at(30),
      service_name: 'ingest-worker',
      log_level: 'ERROR',
      message: 'baseline only',
      metadata: null,
    },
    {
      timestamp: at(5),
      service_name: 'ingest-worker',
      log_level: 'INFO',
      message: 'bad json kept',
      metadata_raw: '{"unterminated": ',
    },
    {
      timestamp: at(6),
      service_name: 'ingest-worker',
      log_level: 'INFO',
      message: 'json but not an object',
      metadata_raw: '[1,2]',
    },
  ]);
});
afterAll(async () => {
  await sql.close();
});

describe('unified-log schema', () => {
  it('applies schema.sql: the table and its indexes exist', async () => {
    const idx = await sql.execute(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'unified_logs' ORDER BY indexname",
    );
    expect(idx.map((r) => r.indexname)).toEqual([
      'unified_logs_pkey',
      'unified_logs_service_timestamp_idx',
      'unified_logs_timestamp_level_service_idx',
    ]);
    expect(String(idx[2]!.indexdef)).toContain('("timestamp", log_level, service_name)');
  });

  it('renames the table and its indexes for UNIFIED_LOG_TABLE and refuses unsafe names', () => {
    const stmts = unifiedLogSchemaStatements('app_logs');
    expect(stmts[0]).toContain('CREATE TABLE IF NOT EXISTS app_logs (');
    expect(stmts.join('\n')).toContain('app_logs_timestamp_level_service_idx');
    expect(stmts.join('\n')).not.toContain('unified_logs');
    expect(readUnifiedLogSchemaFile()).toContain('id bigserial PRIMARY KEY');
    expect(() => unifiedLogSchemaStatements('logs; DROP TABLE x')).toThrow('not a lower-case SQL identifier');
  });
});

describe('SqlUnifiedLogProvider on PGlite', () => {
  it('counts ERROR and FATAL rows per service in the window and in the baseline', async () => {
    const counts = await logs.errorCounts({ window_start: windowStart, baseline_start: baselineStart, end });
    expect(counts).toEqual([
      { service_name: 'ingest-worker', window_errors: 0, baseline_errors: 1 },
      { service_name: 'payments-api', window_errors: 3, baseline_errors: 2 },
    ]);
  });

  it('the detection query is served by the (timestamp, log_level, service_name) index', async () => {
    await sql.execute('SET enable_seqscan = off');
    try {
      const plan = await sql.execute(`EXPLAIN ${logs.errorCountsSql()}`, {
        window_start: windowStart,
        baseline_start: baselineStart,
        end,
      });
      const text = plan.map((r) => String(r['QUERY PLAN'])).join('\n');
      expect(text).toMatch(/Index (Only )?Scan using unified_logs_timestamp_level_service_idx/);
      expect(text).not.toContain('Seq Scan');
    } finally {
      await sql.execute('SET enable_seqscan = on');
    }
  });

  it('returns recent rows of one service, newest first, by level, since a time, limited', async () => {
    const rows = await logs.recentLogs({
      service_name: 'payments-api',
      levels: ['ERROR', 'FATAL'],
      since: baselineStart,
      limit: 3,
    });
    expect(rows.map((r) => r.message)).toEqual(['at end', 'Task timed out', 'OutOfMemory']);
    expect(rows[1]).toMatchObject({ log_level: 'ERROR', metadata: { request_id: 'r1' }, timestamp: at(1) });
    expect(rows[1]).not.toHaveProperty('metadata_unparsed');
    expect(typeof rows[0]!.id).toBe('string');
  });

  it('keeps rows whose metadata is not a JSON object, with the raw text', async () => {
    const rows = await logs.recentLogs({
      service_name: 'ingest-worker',
      levels: ['INFO'],
      since: baselineStart,
      limit: 10,
    });
    expect(rows.map((r) => [r.message, r.metadata, r.metadata_unparsed])).toEqual([
      ['bad json kept', null, '{"unterminated": '],
      ['json but not an object', null, '[1,2]'],
    ]);
  });

  it('rejects bad input with a message naming what was wrong', async () => {
    await expect(
      logs.recentLogs({ service_name: 'x', levels: ['LOUD' as never], since: end, limit: 1 }),
    ).rejects.toThrow('levels must be');
    await expect(logs.insert([{ service_name: 'x', log_level: 'ERROR', message: 'm' }])).rejects.toThrow(
      'row 0: missing timestamp',
    );
    await expect(logs.errorCounts({ window_start: end, baseline_start: baselineStart, end })).rejects.toThrow(
      'baseline_start <= window_start < end',
    );
  });
});

describe('named parameters', () => {
  it('numbers :names in order of first use, reusing numbers, leaving casts and quoted text alone', () => {
    expect(toPositional("SELECT :a::text, ':b', \"x:y\", :b, :a WHERE c = 'it''s :c'")).toEqual({
      text: "SELECT $1::text, ':b', \"x:y\", $2, $1 WHERE c = 'it''s :c'",
      names: ['a', 'b'],
    });
  });
});
