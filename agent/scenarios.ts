import type { NewLogEvent } from '../providers/aws';
import type { MetricDatum } from '../providers/aws/types';
import type { UnifiedLogInsertRow } from '../providers/aws/unified-logs/provider';
import type { ServiceCatalog } from '../providers/domain';

/**
 * Demo scenarios for the CLI (`--scenario`) on the mock providers: a trained baseline for one metric
 * of the service, a spike over the last minutes, and the log lines that go with it.
 */
export interface Scenario {
  service: string;
  description: string;
  metric?: { metric_name: string; baseline: number; spike: number };
  unified_logs?: { level: 'ERROR' | 'FATAL' | 'WARN'; message: string; count: number }[];
  cloudwatch_logs?: { message: string; count: number }[];
}

export const SCENARIOS: Record<string, Scenario> = {
  'db-connections': {
    service: 'orders-db',
    description: 'connections at the limit, clients refused',
    metric: { metric_name: 'DatabaseConnections', baseline: 40, spike: 98 },
    unified_logs: [
      {
        level: 'FATAL',
        message: 'FATAL: remaining connection slots are reserved for non-replication superuser connections',
        count: 30,
      },
    ],
  },
  'lambda-timeout': {
    service: 'payments-api',
    description: 'invocations time out at 30 s',
    metric: { metric_name: 'Duration', baseline: 800, spike: 29_500 },
    unified_logs: [{ level: 'ERROR', message: 'Task timed out after 30.00 seconds', count: 20 }],
    cloudwatch_logs: [{ message: 'Task timed out after 30.00 seconds', count: 20 }],
  },
  'queue-backlog': {
    service: 'stream-consumer',
    description: 'the queue backlog keeps growing',
    metric: { metric_name: 'ApproximateAgeOfOldestMessage', baseline: 30, spike: 1_800 },
  },
  credentials: {
    service: 'payments-api',
    description: 'secret reads denied after a role change',
    metric: { metric_name: 'Errors', baseline: 1, spike: 60 },
    unified_logs: [
      {
        level: 'ERROR',
        message:
          'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/payments-api-role/payments-api is not authorized to perform: secretsmanager:GetSecretValue',
        count: 25,
      },
    ],
  },
};

/** What to put into the mock providers for a scenario, as of `now`. */
export function scenarioSeed(
  s: Scenario,
  services: ServiceCatalog,
  now: Date,
): { metrics: MetricDatum[]; unified_logs: UnifiedLogInsertRow[]; logs: Record<string, NewLogEvent[]> } {
  const svc = services.find((x) => x.name === s.service);
  if (!svc) throw new Error(`scenario service ${s.service} is not in the catalog`);
  const metrics: MetricDatum[] = [];
  const m = s.metric ? svc.metrics.find((x) => x.metric_name === s.metric!.metric_name) : undefined;
  if (m && s.metric) {
    const minutes = 240;
    for (let i = minutes; i >= 1; i--) {
      const spike = i <= 5;
      // A deterministic wobble so the baseline has a band.
      const wobble = 1 + 0.05 * Math.sin(i / 3);
      metrics.push({
        namespace: m.namespace,
        metric_name: m.metric_name,
        dimensions: m.dimensions,
        value: (spike ? s.metric.spike : s.metric.baseline) * wobble,
        timestamp: new Date(now.getTime() - i * 60_000 + 1_000),
      });
    }
  }
  const unified_logs: UnifiedLogInsertRow[] = [];
  for (const l of s.unified_logs ?? [])
    for (let i = 0; i < l.count; i++)
      unified_logs.push({
        timestamp: new Date(now.getTime() - (l.count - i) * 10_000).toISOString(),
        service_name: s.service,
        log_level: l.level,
        message: `${l.message} (request ${1000 + i})`,
        metadata: null,
      });
  const logs: Record<string, NewLogEvent[]> = {};
  const group = svc.log_groups[0]?.name;
  if (group)
    logs[group] = (s.cloudwatch_logs ?? []).flatMap((l) =>
      Array.from({ length: l.count }, (_, i) => ({
        message: `${new Date(now.getTime() - (l.count - i) * 10_000).toISOString()} ${l.message}`,
        timestamp: now.getTime() - (l.count - i) * 10_000,
      })),
    );
  return { metrics, unified_logs, logs };
}
