import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ExecuteStatementCommand,
  type ExecuteStatementCommandInput,
  RDSDataClient,
} from '@aws-sdk/client-rds-data';
import { mockClient } from 'aws-sdk-client-mock';
import { type DetectRuntime, detect } from '../../../pipeline/detection';
import { logger } from '../../../pipeline/detection/logger';
import { SdkCloudWatch } from '../../../providers/aws/cloudwatch/real';
import { type LocalDynamo, startLocalDynamo } from '../../../providers/aws/dynamodb/local';
import { DocumentDynamoProvider } from '../../../providers/aws/dynamodb/provider';
import { SdkCloudWatchLogs } from '../../../providers/aws/logs/real';
import { DataApiExecutor } from '../../../providers/aws/unified-logs/data-api-executor';
import { toPositional } from '../../../providers/aws/unified-logs/named-params';
import { PgliteExecutor } from '../../../providers/aws/unified-logs/pglite-executor';
import { SqlUnifiedLogProvider } from '../../../providers/aws/unified-logs/provider';
import { DEFAULT_SERVICES, loadConfig } from '../../../providers/config';
import { deadlockRows, quietUnifiedRows } from './fixtures';

/**
 * The real SDK providers under detection: CloudWatch and CloudWatch Logs answered by aws-sdk-client-mock
 * (so the exact commands are visible), the RDS Data API answered by running the very SQL and parameters
 * the Data API executor sends on PGlite, and DynamoDB on dynalite.
 */
const config = loadConfig({});
const NOW = new Date('2026-11-26T07:30:00.000Z');
const MIN = 60_000;

const cw = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
const rdsData = mockClient(RDSDataClient);
const pg = new PgliteExecutor(config.UNIFIED_LOG_TABLE);
let local: LocalDynamo;
let rt: DetectRuntime;
const dataApiCalls: ExecuteStatementCommandInput[] = [];

/** A fake Data API: `:name` parameters with their typed values, run on PGlite, rows back as formattedRecords. */
async function executeOnPglite(input: ExecuteStatementCommandInput) {
  dataApiCalls.push(input);
  const { text, names } = toPositional(input.sql ?? '');
  const byName = new Map((input.parameters ?? []).map((p) => [p.name, p]));
  const values = names.map((n) => {
    const p = byName.get(n);
    if (!p) throw new Error(`no parameter :${n}`);
    // Field is a tagged union in the SDK types; the executor sends one member per parameter.
    const v = (p.value ?? {}) as {
      isNull?: boolean;
      stringValue?: string;
      longValue?: number;
      doubleValue?: number;
      booleanValue?: boolean;
    };
    if (v.isNull) return null;
    if (p.typeHint === 'TIMESTAMP') return `${v.stringValue}Z`; // the Data API's literal is UTC
    return v.stringValue ?? v.longValue ?? v.doubleValue ?? v.booleanValue ?? null;
  });
  const db = await pg.engine();
  const result = await db.query<Record<string, unknown>>(text, values);
  return {
    formattedRecords: JSON.stringify(result.rows, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)),
  };
}

/** payments-api p95 Duration: quiet at ~100 with a band of 80–120, then 900+ for the last 3 minutes. */
function metricData(input: GetMetricDataCommandInput): MetricDataResult[] {
  const start = (input.StartTime as Date).getTime();
  const end = (input.EndTime as Date).getTime();
  const stat = input.MetricDataQueries?.[0]?.MetricStat;
  const spiking = stat?.Metric?.MetricName === 'Duration';
  const ts: Date[] = [];
  for (let t = Math.ceil(start / MIN) * MIN; t < end; t += MIN) ts.push(new Date(t));
  const values = ts.map((t) => (spiking && t.getTime() >= end - 3 * MIN ? 900 : 100));
  return [
    { Id: 'm1', Label: 'm1', Timestamps: ts, Values: values, StatusCode: 'Complete' },
    { Id: 'ad1', Label: 'ad1 High', Timestamps: ts, Values: ts.map(() => 120), StatusCode: 'Complete' },
    { Id: 'ad1', Label: 'ad1 Low', Timestamps: ts, Values: ts.map(() => 80), StatusCode: 'Complete' },
  ];
}

function filterEvents(input: FilterLogEventsCommandInput) {
  const start = input.startTime ?? 0;
  const inWindow = start >= NOW.getTime() - 10 * MIN;
  if (
    input.logGroupName === '/aws/lambda/ingest-worker' &&
    input.filterPattern === 'OutOfMemory' &&
    inWindow
  ) {
    return {
      events: Array.from({ length: 6 }, (_, i) => ({
        timestamp: NOW.getTime() - (9 - i) * MIN,
        message: `Runtime exited with error: signal: killed Runtime.OutOfMemory RequestId: ${i}f0c-${i}a`,
        logStreamName: '2026/11/26/[$LATEST]abc',
      })),
    };
  }
  return { events: [] };
}

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  local = await startLocalDynamo(config);
  const target = {
    resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:logs',
    secretArn: 'arn:secret',
    database: 'bdp',
  };
  rt = {
    config,
    services: DEFAULT_SERVICES,
    now: () => NOW,
    aws: {
      cloudwatch: new SdkCloudWatch(new CloudWatchClient({ region: 'us-east-1' })),
      logs: new SdkCloudWatchLogs(new CloudWatchLogsClient({ region: 'us-east-1' })),
      unifiedLogs: new SqlUnifiedLogProvider(
        new DataApiExecutor(new RDSDataClient({ region: 'us-east-1' }), target),
        config.UNIFIED_LOG_TABLE,
      ),
      dynamo: new DocumentDynamoProvider(local.client, config),
    },
  };
  await new SqlUnifiedLogProvider(pg, config.UNIFIED_LOG_TABLE).insert([
    ...quietUnifiedRows(NOW),
    ...deadlockRows(NOW, 30),
  ]);
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: metricData(input),
  }));
  logs.on(FilterLogEventsCommand).callsFake(filterEvents);
  rdsData.on(ExecuteStatementCommand).callsFake(executeOnPglite);
}, 120_000);

afterAll(async () => {
  cw.restore();
  logs.restore();
  rdsData.restore();
  await local?.close();
  await pg.close();
});

describe('detect on the real SDK providers', () => {
  it('finds the three anomalies through the exact AWS commands', async () => {
    const out = await detect(rt, {});
    expect(out.source_errors).toEqual([]);
    expect(out.anomalies.map((a) => `${a.service}/${a.source}/${a.kind}`).sort()).toEqual([
      'ingest-worker/cloudwatch_logs/out_of_memory',
      'orders-db/rds_logs/error_rate_spike',
      'payments-api/cloudwatch_metric/metric_above_band',
    ]);
    expect(out.incidents).toHaveLength(3);

    // CloudWatch: one GetMetricData per configured metric, each with the band expression.
    const metricCalls = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(metricCalls).toHaveLength(DEFAULT_SERVICES.reduce((n, s) => n + s.metrics.length, 0));
    const duration = metricCalls.find(
      (c) => c.MetricDataQueries?.[0]?.MetricStat?.Metric?.MetricName === 'Duration',
    );
    expect(duration?.MetricDataQueries).toEqual([
      {
        Id: 'm1',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: 'Duration',
            Dimensions: [{ Name: 'FunctionName', Value: 'payments-api' }],
          },
          Period: 60,
          Stat: 'p95',
        },
        ReturnData: true,
      },
      { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)', ReturnData: true },
    ]);
    expect(duration?.EndTime).toEqual(NOW);
    const metric = out.anomalies.find((a) => a.source === 'cloudwatch_metric')!;
    expect(metric.metric).toMatchObject({ value: 900, band: { lower: 80, upper: 120 }, direction: 'above' });
    expect(metric.severity).toBe('critical');

    // CloudWatch Logs: every group × pattern over the window; the baseline only where the window fired.
    const filterCalls = logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);
    const windowCalls = filterCalls.filter((c) => c.startTime === NOW.getTime() - 10 * MIN);
    const patterns = DEFAULT_SERVICES.flatMap((s) =>
      s.log_groups.flatMap((g) => g.filter_patterns.map((p) => `${g.name} ${p}`)),
    );
    expect(windowCalls.map((c) => `${c.logGroupName} ${c.filterPattern}`).sort()).toEqual(patterns.sort());
    expect(windowCalls.every((c) => c.endTime === NOW.getTime())).toBe(true);
    const baselineCalls = filterCalls.filter((c) => c.startTime === NOW.getTime() - 70 * MIN);
    expect(baselineCalls).toEqual([
      expect.objectContaining({
        logGroupName: '/aws/lambda/ingest-worker',
        filterPattern: 'OutOfMemory',
        endTime: NOW.getTime() - 10 * MIN,
      }),
    ]);

    // Unified logs: one counting query over the indexed columns, then the recent rows of the one service.
    const sqls = dataApiCalls.map((c) => c.sql ?? '');
    expect(sqls[0]).toMatch(
      /FROM unified_logs\s+WHERE timestamp >= :baseline_start AND timestamp < :end\s+AND log_level IN \('ERROR', 'FATAL'\)\s+GROUP BY service_name/,
    );
    expect(dataApiCalls[0]?.parameters).toEqual(
      expect.arrayContaining([
        { name: 'window_start', value: { stringValue: '2026-11-26 07:20:00.000' }, typeHint: 'TIMESTAMP' },
      ]),
    );
    expect(dataApiCalls).toHaveLength(2);
    expect(dataApiCalls[1]?.parameters).toEqual(
      expect.arrayContaining([{ name: 'service_name', value: { stringValue: 'orders-db' } }]),
    );
    const rds = out.anomalies.find((a) => a.source === 'rds_logs')!;
    expect(rds.logs).toMatchObject({
      error_count: 31,
      template: expect.stringMatching(/^deadlock detected/),
    });
  });
});
