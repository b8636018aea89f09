import { DetectOutput, detect, UnknownServiceError } from '../../../pipeline/detection';
import { logger } from '../../../pipeline/detection/logger';
import { handler } from '../../../pipeline/handlers/detect';
import { AwsProviderError, type DynamoProvider, type UnifiedLogProvider } from '../../../providers/aws/types';
import { createRuntime, setRuntime } from '../../../providers/runtime';
import {
  deadlockRows,
  quietUnifiedRows,
  seedLatencySpike,
  seedQuietMetrics,
  seedTimeouts,
  startPlatform,
  type TestPlatform,
} from './fixtures';

let p: TestPlatform;
beforeAll(async () => {
  logger.setLogLevel('SILENT');
  p = await startPlatform();
  // Start PGlite (WASM, seconds on a busy machine) here rather than inside the first test.
  await p.aws.sql.engine();
}, 120_000);
afterAll(async () => {
  await p?.close();
});

// Each test runs on its own day so DynamoDB items of one test never fall in another's dedup window.
let day = 0;
async function freshDay(): Promise<Date> {
  day += 1;
  const now = new Date(Date.UTC(2026, 10, 1 + day, 7, 30, 0));
  p.setNow(now);
  await p.reset();
  return now;
}
const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

/** A platform with all three problems at once, on three different services. */
async function seedThreeProblems(now: Date, scale = 1) {
  seedQuietMetrics(p, now);
  seedLatencySpike(p, now, 900 * scale);
  await p.aws.unifiedLogs.insert([...quietUnifiedRows(now), ...deadlockRows(now, 30 * scale, 1000 * scale)]);
  seedTimeouts(p, now, 8 * scale);
}

describe('detect on the mocks', () => {
  it('finds one anomaly per source and opens one incident per service', async () => {
    const now = await freshDay();
    await seedThreeProblems(now);

    const out = await detect(p.rt, {});
    expect(() => DetectOutput.parse(out)).not.toThrow();
    expect(out.source_errors).toEqual([]);
    expect(out.anomalies_detected).toBe(true);
    const bySource = Object.fromEntries(out.anomalies.map((a) => [a.source, a]));
    expect(Object.keys(bySource).sort()).toEqual(['cloudwatch_logs', 'cloudwatch_metric', 'rds_logs']);

    const metric = bySource.cloudwatch_metric!;
    expect(metric).toMatchObject({
      service: 'payments-api',
      kind: 'metric_above_band',
      severity: 'critical',
    });
    expect(metric.metric).toMatchObject({
      metric_name: 'Duration',
      stat: 'p95',
      direction: 'above',
      value: 902,
    });
    expect(metric.metric!.series.slice(-3)).toEqual([900, 901, 902]);
    expect(metric.metric!.series.length).toBeGreaterThanOrEqual(10);

    const rds = bySource.rds_logs!;
    expect(rds).toMatchObject({ service: 'orders-db', kind: 'error_rate_spike', severity: 'critical' });
    // 30 deadlocks + the row with broken metadata: the bad JSON neither dropped the row nor the run.
    expect(rds.logs).toMatchObject({ error_count: 31, window_minutes: 10 });
    expect(rds.logs!.template).toMatch(
      /^deadlock detected on relation orders: process <\*> waits for ShareLock/,
    );
    expect(rds.logs!.series.reduce((a, b) => a + b, 0)).toBe(31);
    expect(rds.logs!.samples.length).toBeGreaterThan(0);
    expect(rds.summary).toMatch(/31 ERROR\/FATAL log rows in 10 min \(5 FATAL\)/);

    const cwl = bySource.cloudwatch_logs!;
    expect(cwl).toMatchObject({ service: 'ingest-worker', kind: 'timeout' });
    expect(cwl.logs).toMatchObject({
      error_count: 8,
      log_group: '/aws/lambda/ingest-worker',
      filter_pattern: 'Task timed out',
    });
    expect(cwl.logs!.template).toMatch(/Task timed out after <\*> seconds$/);

    expect(out.incidents.map((i) => i.service).sort()).toEqual([
      'ingest-worker',
      'orders-db',
      'payments-api',
    ]);
    for (const i of out.incidents) {
      expect(i.incident_id).toBe(
        `inc-${now.toISOString().slice(0, 16).replace(/[-T:]/g, '')}-${i.signature.slice(0, 8)}`,
      );
      expect(i.trigger).toBe('schedule');
    }
  });

  it('a quiet platform finds nothing and opens nothing', async () => {
    const now = await freshDay();
    seedQuietMetrics(p, now);
    await p.aws.unifiedLogs.insert(quietUnifiedRows(now));
    p.aws.logs.putLogEvents('/aws/lambda/payments-api', [
      { timestamp: minutes(now, -30).getTime(), message: 'ERROR one old failure' },
      { timestamp: minutes(now, -3).getTime(), message: 'ERROR one failure' },
    ]);
    const out = await detect(p.rt, {});
    expect(out).toEqual({ anomalies_detected: false, anomalies: [], incidents: [], source_errors: [] });
  });

  it('the same problem keeps its signatures across runs with other times, ids and counts', async () => {
    const first = await freshDay();
    await seedThreeProblems(first, 1);
    const a = await detect(p.rt, {});
    const second = await freshDay();
    await seedThreeProblems(second, 2);
    const b = await detect(p.rt, {});
    const sigs = (o: typeof a) => o.anomalies.map((x) => `${x.source}:${x.signature}`).sort();
    expect(sigs(b)).toEqual(sigs(a));
    expect(b.anomalies.find((x) => x.source === 'rds_logs')?.logs?.error_count).toBe(61);
    expect(b.incidents.map((i) => i.incident_id)).not.toEqual(a.incidents.map((i) => i.incident_id));
  });

  it('a repeat within the dedup window opens no new incident; after the window it does', async () => {
    const now = await freshDay();
    await p.aws.unifiedLogs.insert(deadlockRows(now, 30));
    const first = await detect(p.rt, {});
    expect(first.incidents).toHaveLength(1);
    const sig = first.anomalies[0]!.signature;

    // Five minutes later the deadlocks go on.
    const later = minutes(now, 5);
    p.setNow(later);
    await p.aws.unifiedLogs.insert(deadlockRows(later, 30, 5000));
    const second = await detect(p.rt, {});
    expect(second.anomalies_detected).toBe(true);
    expect(second.anomalies.map((a) => a.signature)).toEqual([sig]);
    expect(second.incidents).toEqual([]);
    expect(await p.aws.dynamo.get('anomaly_tracking', { signature: sig })).toMatchObject({
      occurrence_count: 2,
      last_seen: later.toISOString(),
    });

    // They stop, and come back more than an hour after they were last seen.
    const back = minutes(later, 61);
    p.setNow(back);
    await p.aws.unifiedLogs.insert(deadlockRows(back, 30, 9000));
    const third = await detect(p.rt, {});
    expect(third.incidents.map((i) => i.signature)).toEqual([sig]);
  });

  it('20 concurrent runs that see the same problems open each incident exactly once', async () => {
    const now = await freshDay();
    await seedThreeProblems(now);
    const runs = await Promise.all(Array.from({ length: 20 }, () => detect(p.rt, {})));
    for (const r of runs) expect(r.anomalies).toHaveLength(3);
    const opened = runs.flatMap((r) => r.incidents.map((i) => i.service)).sort();
    expect(opened).toEqual(['ingest-worker', 'orders-db', 'payments-api']);
    for (const a of runs[0]!.anomalies) {
      const item = await p.aws.dynamo.get('anomaly_tracking', { signature: a.signature });
      expect(item?.occurrence_count).toBe(20);
    }
  });

  it('a failing source is reported and the other sources still return their anomalies', async () => {
    const now = await freshDay();
    await seedThreeProblems(now);
    p.aws.cloudwatch.failNext('GetMetricData', 'throttled', 100);
    const out = await detect(p.rt, {});
    expect(out.anomalies.map((a) => a.source).sort()).toEqual(['cloudwatch_logs', 'rds_logs']);
    const metricCount = p.rt.services.reduce((n, s) => n + s.metrics.length, 0);
    expect(out.source_errors).toHaveLength(metricCount);
    expect(out.source_errors[0]).toMatchObject({ source: 'cloudwatch_metric' });
    expect(out.source_errors[0]!.error).toMatch(/throttled/);

    // The unified logs down as well: the metric is back, the RDS source says why it has nothing.
    const later = await freshDay();
    await seedThreeProblems(later);
    const broken: UnifiedLogProvider = {
      ...p.aws.unifiedLogs,
      errorCounts: () =>
        Promise.reject(new Error('rds-data.ExecuteStatement failed (unavailable): cluster paused')),
      recentLogs: p.aws.unifiedLogs.recentLogs.bind(p.aws.unifiedLogs),
      insert: p.aws.unifiedLogs.insert.bind(p.aws.unifiedLogs),
    };
    const out2 = await detect({ ...p.rt, aws: { ...p.aws, unifiedLogs: broken } }, {});
    expect(out2.anomalies.map((a) => a.source).sort()).toEqual(['cloudwatch_logs', 'cloudwatch_metric']);
    expect(out2.source_errors).toEqual([
      {
        source: 'rds_logs',
        target: 'error counts',
        error: 'rds-data.ExecuteStatement failed (unavailable): cluster paused',
      },
    ]);
  });

  it('when de-duplication cannot be reached, the anomaly still opens an incident and the failure is reported', async () => {
    const now = await freshDay();
    await p.aws.unifiedLogs.insert(deadlockRows(now, 30));
    const down = new AwsProviderError('dynamodb', 'PutItem', 'unavailable', 'connection reset');
    const dynamo: DynamoProvider = Object.assign(Object.create(p.aws.dynamo), {
      put: () => Promise.reject(down),
      update: () => Promise.reject(down),
    });
    const out = await detect({ ...p.rt, aws: { ...p.aws, dynamo } }, {});
    expect(out.incidents.map((i) => i.service)).toEqual(['orders-db']);
    expect(out.source_errors).toEqual([
      expect.objectContaining({ source: 'rds_logs', service: 'orders-db', target: 'de-duplication' }),
    ]);
    expect(out.source_errors[0]!.error).toMatch(/dynamodb\.PutItem failed \(unavailable\)/);
  });

  it('a log group that fails is reported by name; the other groups are still read', async () => {
    const now = await freshDay();
    seedTimeouts(p, now, 8);
    p.aws.logs.failNext('FilterLogEvents', 'access_denied', 1);
    const out = await detect(p.rt, {});
    expect(out.source_errors).toHaveLength(1);
    expect(out.source_errors[0]).toMatchObject({ source: 'cloudwatch_logs', service: 'payments-api' });
    expect(out.source_errors[0]!.target).toMatch(/^\/aws\/lambda\/payments-api "ERROR"$/);
    expect(out.anomalies.map((a) => a.kind)).toEqual(['timeout']);
  });
});

describe('detect on demand (/bdp analyze <service>)', () => {
  it('a healthy service still gets an incident, with its current numbers and who asked', async () => {
    const now = await freshDay();
    seedQuietMetrics(p, now);
    await p.aws.unifiedLogs.insert([...quietUnifiedRows(now), ...deadlockRows(now, 30)]);
    const out = await detect(p.rt, { service: 'payments-api', requested_by: 'U042' });
    expect(out.incidents).toHaveLength(1);
    const inc = out.incidents[0]!;
    expect(inc).toMatchObject({ service: 'payments-api', trigger: 'U042', severity: 'low' });
    expect(inc.anomalies).toEqual([expect.objectContaining({ kind: 'on_demand', service: 'payments-api' })]);
    expect(inc.anomalies[0]!.summary).toMatch(/requested by U042: no anomaly detected/);
    // Only the asked-for service was checked: orders-db's deadlocks are not in this answer.
    expect(out.anomalies.every((a) => a.service === 'payments-api')).toBe(true);
  });

  it('says when "no anomaly" rests on checks that could not be read', async () => {
    await freshDay();
    p.aws.cloudwatch.failNext('GetMetricData', 'access_denied', 2);
    const out = await detect(p.rt, { service: 'payments-api' });
    expect(out.source_errors).toHaveLength(2);
    expect(out.incidents[0]!.anomalies[0]!.summary).toMatch(
      /no anomaly detected .*; 2 checks could not be read$/,
    );
    expect(out.incidents[0]!.trigger).toBe('on_demand');
  });

  it('a known problem is answered again even though dedup already has it', async () => {
    const now = await freshDay();
    await p.aws.unifiedLogs.insert(deadlockRows(now, 30));
    const scheduled = await detect(p.rt, {});
    expect(scheduled.incidents).toHaveLength(1);
    const asked = await detect(p.rt, { service: 'orders-db', requested_by: 'U7' });
    expect(asked.incidents).toHaveLength(1);
    expect(asked.incidents[0]).toMatchObject({ service: 'orders-db', trigger: 'U7' });
    expect(asked.incidents[0]!.anomalies[0]!.kind).toBe('error_rate_spike');
  });

  it('an unknown service is an error that names the closest known ones', async () => {
    await freshDay();
    await expect(detect(p.rt, { service: 'ingest-wroker' })).rejects.toThrow(UnknownServiceError);
    await expect(detect(p.rt, { service: 'ingest-wroker' })).rejects.toThrow(/Did you mean: ingest-worker/);
  });
});

describe('the detect Lambda handler', () => {
  it('runs on the process runtime for a scheduled event, and names a bad field', async () => {
    const now = await freshDay();
    await p.aws.unifiedLogs.insert(deadlockRows(now, 30));
    setRuntime(await createRuntime(p.config, { aws: p.aws, services: p.rt.services, now: () => now }));
    try {
      const out = await handler({ 'detail-type': 'Scheduled Event' });
      expect(out.incidents.map((i) => i.service)).toEqual(['orders-db']);
      await expect(handler({ service: 7 })).rejects.toThrow(/^Invalid detect input: service: expected /);
      const asked = await handler({ service: 'orders-db', requested_by: 'U1' });
      expect(asked.incidents[0]?.trigger).toBe('U1');
    } finally {
      logger.setLogLevel('SILENT');
    }
  });
});
