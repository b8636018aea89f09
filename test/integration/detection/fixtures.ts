import type { DetectRuntime } from '../../../pipeline/detection';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws/mock';
import type { UnifiedLogInsertRow } from '../../../providers/aws/unified-logs/provider';
import { type Config, DEFAULT_SERVICES, loadConfig } from '../../../providers/config';

/** A runtime for detection on the local mocks, with a clock the test moves. */
export interface TestPlatform {
  rt: DetectRuntime & { aws: MockAwsProviders };
  aws: MockAwsProviders;
  config: Config;
  setNow(d: Date): void;
  /** Empties metrics, log events and unified-log rows (DynamoDB keeps its items: use fresh times). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startPlatform(): Promise<TestPlatform> {
  let now = new Date('2026-11-26T07:30:00.000Z');
  const config = loadConfig({});
  const aws = await createMockAwsProviders({ now: () => now, config });
  const emptyGroups = () => {
    for (const s of DEFAULT_SERVICES) for (const g of s.log_groups) aws.logs.putLogEvents(g.name, []);
  };
  return {
    rt: { config, aws, services: DEFAULT_SERVICES, now: () => now },
    aws,
    config,
    setNow: (d) => {
      now = d;
    },
    reset: async () => {
      aws.cloudwatch.reset();
      aws.cloudwatch.faults.clear();
      aws.logs.reset();
      aws.logs.faults.clear();
      emptyGroups();
      await aws.sql.execute(`DELETE FROM ${config.UNIFIED_LOG_TABLE}`);
    },
    close: () => aws.close(),
  };
}

const MIN = 60_000;
const at = (now: Date, minutesAgo: number) => new Date(now.getTime() - minutesAgo * MIN);

/** Steady, slightly noisy values every minute for the last 150 minutes for every metric in the catalog. */
export function seedQuietMetrics(p: TestPlatform, now: Date): void {
  for (const s of DEFAULT_SERVICES) {
    for (const m of s.metrics) {
      const data = Array.from({ length: 150 }, (_, i) => ({
        namespace: m.namespace,
        metric_name: m.metric_name,
        dimensions: m.dimensions,
        value: 100 + ((i * 7) % 5),
        timestamp: at(now, 150 - i),
      }));
      p.aws.cloudwatch.seed(data);
    }
  }
}

/** The payments-api p95 Duration jumps to `value` for the last `minutes` minutes. */
export function seedLatencySpike(p: TestPlatform, now: Date, value: number, minutes = 3): void {
  p.aws.cloudwatch.seed(
    Array.from({ length: minutes }, (_, i) => ({
      namespace: 'AWS/Lambda',
      metric_name: 'Duration',
      dimensions: { FunctionName: 'payments-api' },
      value: value + i,
      timestamp: new Date(at(now, minutes - i).getTime() + 10_000),
    })),
  );
}

/** A trickle of errors in the baseline hour for every service (the quiet state). */
export function quietUnifiedRows(now: Date): UnifiedLogInsertRow[] {
  return DEFAULT_SERVICES.flatMap((s, k) =>
    [15, 35, 55].map((m) => ({
      timestamp: at(now, m + k).toISOString(),
      service_name: s.name,
      log_level: 'ERROR' as const,
      message: `transient retry ${k}${m} succeeded later`,
      metadata: { attempt: 1 },
    })),
  );
}

/** orders-db suddenly logs `count` deadlock errors (plus one row whose metadata is not JSON). */
export function deadlockRows(now: Date, count: number, idBase = 1000): UnifiedLogInsertRow[] {
  const rows: UnifiedLogInsertRow[] = Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(at(now, 9).getTime() + Math.floor((i * 8 * MIN) / count)).toISOString(),
    service_name: 'orders-db',
    log_level: i % 7 === 0 ? ('FATAL' as const) : ('ERROR' as const),
    message: `deadlock detected on relation orders: process ${idBase + i} waits for ShareLock on transaction ${idBase * 7 + i}`,
    metadata: { pid: idBase + i, table: 'orders' },
  }));
  rows.push({
    timestamp: at(now, 2).toISOString(),
    service_name: 'orders-db',
    log_level: 'ERROR',
    message: `deadlock detected on relation orders: process ${idBase + 999} waits for ShareLock on transaction ${idBase}`,
    metadata_raw: '{"pid": 12, "table": "orders"',
  });
  return rows;
}

/** ingest-worker's Lambda times out `count` times in the last minutes. */
export function seedTimeouts(p: TestPlatform, now: Date, count: number): void {
  p.aws.logs.putLogEvents(
    '/aws/lambda/ingest-worker',
    Array.from({ length: count }, (_, i) => ({
      timestamp: at(now, 8).getTime() + i * 20_000,
      message: `2026-11-26T07:2${i % 10}:00.000Z ${crypto.randomUUID()} Task timed out after ${(30 + i / 100).toFixed(2)} seconds`,
    })),
  );
}
