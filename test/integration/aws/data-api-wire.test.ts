/**
 * The real RDS Data API client, over HTTP, against a local server that speaks the Data API's REST-JSON
 * wire format (POST /Execute) and runs the statements on PGlite. This proves, end to end, that what the
 * SDK serialises from our typed parameters is the SQL and values PostgreSQL accepts, that Data API style
 * records parse back, and how wire errors and hangs surface.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { sdkClientConfig } from '../../../providers/aws/shared/client-config';
import type { SqlParam } from '../../../providers/aws/types';
import { DataApiExecutor } from '../../../providers/aws/unified-logs/data-api-executor';
import { PgliteExecutor } from '../../../providers/aws/unified-logs/pglite-executor';
import { SqlUnifiedLogProvider } from '../../../providers/aws/unified-logs/provider';
import { loadConfig } from '../../../providers/config';

interface WireParam {
  name: string;
  value: {
    stringValue?: string;
    longValue?: number;
    doubleValue?: number;
    booleanValue?: boolean;
    isNull?: boolean;
  };
  typeHint?: string;
}
interface WireRequest {
  headers: IncomingMessage['headers'];
  body: {
    resourceArn: string;
    secretArn: string;
    database: string;
    sql: string;
    parameters?: WireParam[];
    formatRecordsAs?: string;
  };
}

const pg = new PgliteExecutor('unified_logs');
const requests: WireRequest[] = [];
/** What the next requests get instead of a normal answer. */
let faults: ('resuming' | 'forbidden' | 'hang')[] = [];
let server: Server;
let endpoint: string;

const fromWire = (p: WireParam): SqlParam => {
  const v = p.value;
  if (v.isNull) return null;
  if (p.typeHint === 'TIMESTAMP') return new Date(`${v.stringValue!.replace(' ', 'T')}Z`);
  return v.stringValue ?? v.longValue ?? v.doubleValue ?? v.booleanValue ?? null;
};
// The Data API prints timestamps as `YYYY-MM-DD HH:MM:SS.fff` (UTC), not ISO.
const toWire = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) ? v.replace('T', ' ').replace('Z', '') : v;

function sendError(res: import('node:http').ServerResponse, status: number, type: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ message }));
}

beforeAll(async () => {
  // Start PGlite before any request so no request waits on its start-up.
  await pg.engine();
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', async () => {
      if (req.method !== 'POST' || req.url !== '/Execute')
        return sendError(res, 404, 'NotFoundException', req.url ?? '');
      const body = JSON.parse(raw) as WireRequest['body'];
      requests.push({ headers: req.headers, body });
      const fault = faults.shift();
      if (fault === 'hang') return; // never answers
      if (fault === 'resuming')
        return sendError(res, 400, 'DatabaseResumingException', 'The database is resuming');
      if (fault === 'forbidden') return sendError(res, 403, 'ForbiddenException', 'not allowed');
      try {
        const params = Object.fromEntries((body.parameters ?? []).map((p) => [p.name, fromWire(p)]));
        const rows = await pg.execute(body.sql, params);
        const records = rows.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toWire(v)])),
        );
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ numberOfRecordsUpdated: 0, formattedRecords: JSON.stringify(records) }));
      } catch (e) {
        sendError(res, 400, 'DatabaseErrorException', (e as Error).message);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await pg.close();
});
beforeEach(() => {
  requests.length = 0;
  faults = [];
});

const config = loadConfig({
  AWS_MOCK: 'false',
  RDS_CLUSTER_ARN: 'arn:aws:rds:us-east-1:123456789012:cluster:logs',
  RDS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:logs',
});
const target = {
  resourceArn: config.RDS_CLUSTER_ARN!,
  secretArn: config.RDS_SECRET_ARN!,
  database: config.RDS_DATABASE,
};
const client = () =>
  new RDSDataClient({
    ...sdkClientConfig(config),
    endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
const noSleep = async () => undefined;

describe('RDS Data API over the wire, on PGlite', () => {
  it('inserts and queries unified logs through the real SDK, signed, with typed parameters', async () => {
    const logs = new SqlUnifiedLogProvider(
      new DataApiExecutor(client(), target, noSleep),
      config.UNIFIED_LOG_TABLE,
    );
    const end = new Date('2026-11-26T07:00:00Z');
    await logs.insert([
      {
        timestamp: '2026-11-26T06:55:00.250Z',
        service_name: 'payments-api',
        log_level: 'ERROR',
        message: 'Task timed out',
        metadata: { attempt: 2 },
      },
      {
        timestamp: '2026-11-26T06:20:00Z',
        service_name: 'payments-api',
        log_level: 'FATAL',
        message: 'OOM',
        metadata_raw: 'not json',
      },
    ]);
    const counts = await logs.errorCounts({
      window_start: new Date('2026-11-26T06:50:00Z'),
      baseline_start: new Date('2026-11-26T06:00:00Z'),
      end,
    });
    expect(counts).toEqual([{ service_name: 'payments-api', window_errors: 1, baseline_errors: 1 }]);
    const rows = await logs.recentLogs({
      service_name: 'payments-api',
      levels: ['ERROR', 'FATAL'],
      since: new Date('2026-11-26T06:00:00Z'),
      limit: 10,
    });
    expect(rows.map((r) => [r.timestamp, r.message, r.metadata, r.metadata_unparsed])).toEqual([
      ['2026-11-26T06:55:00.250Z', 'Task timed out', { attempt: 2 }, undefined],
      ['2026-11-26T06:20:00.000Z', 'OOM', null, 'not json'],
    ]);

    const query = requests[1]!;
    expect(query.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/us-east-1\/rds-data\/aws4_request/,
    );
    expect(query.body).toMatchObject({ ...target, formatRecordsAs: 'JSON' });
    expect(query.body.parameters).toContainEqual({
      name: 'end',
      value: { stringValue: '2026-11-26 07:00:00.000' },
      typeHint: 'TIMESTAMP',
    });
  });

  it('retries while the database resumes, then answers', async () => {
    faults = ['resuming'];
    const sleeps: number[] = [];
    const ex = new DataApiExecutor(client(), target, async (ms) => {
      sleeps.push(ms);
    });
    expect(await ex.execute('SELECT :n::int AS n', { n: 41 })).toEqual([{ n: 41 }]);
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('a 403 from the service is access_denied, not retried', async () => {
    faults = ['forbidden'];
    await expect(new DataApiExecutor(client(), target, noSleep).execute('SELECT 1')).rejects.toMatchObject({
      service: 'rds-data',
      operation: 'ExecuteStatement',
      kind: 'access_denied',
      message: expect.stringContaining('ForbiddenException'),
    });
    expect(requests).toHaveLength(1);
  });

  it('a server that never answers ends in a timeout error within the budget', async () => {
    faults = ['hang', 'hang', 'hang', 'hang'];
    const started = Date.now();
    const ex = new DataApiExecutor(client(), target, noSleep, 300);
    await expect(ex.execute('SELECT 1')).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringContaining('300 ms'),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('SQL the database rejects comes back as a validation error with its message', async () => {
    await expect(
      new DataApiExecutor(client(), target, noSleep).execute('SELECT * FROM no_such_table'),
    ).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('no_such_table'),
    });
  });
});
