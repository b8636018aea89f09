// Small, scripted fakes of the AWS provider interfaces and a Runtime on the mock LLM, for agent tests.

import type {
  AwsProviders,
  BandedSeries,
  DynamoProvider,
  FunctionState,
  Item,
  LogEvent,
  LogLevel,
  UnifiedLogRow,
} from '../../../providers/aws/types';
import { DEFAULT_SERVICES, loadConfig } from '../../../providers/config';
import type { Incident } from '../../../providers/domain';
import { createLLMClient } from '../../../providers/llm';
import type { LLMClient } from '../../../providers/llm/types';
import { loadPolicy } from '../../../providers/policy';
import type { Runtime } from '../../../providers/runtime';

export const NOW = new Date('2026-11-26T08:00:00.000Z');

export interface Scenario {
  /** metric_name → 'above' | 'below' | 'within' (default within). */
  metrics?: Record<string, 'above' | 'below' | 'within'>;
  /** Unified log rows: [service, level, message, count]. */
  rdsLogs?: [string, LogLevel, string, number][];
  /** CloudWatch log lines: [log group, message, count]. */
  cwLogs?: [string, string, number][];
  /** Remediation history items (PK resource_id). */
  history?: Item[];
  /** Lambda last_modified per function (default: 30 days ago). */
  deployedAt?: Record<string, string>;
  /** Operations that throw. */
  failing?: Partial<Record<'cloudwatch' | 'unifiedLogs' | 'logs' | 'dynamo' | 'lambda', string>>;
}

const unused = (what: string) => () => {
  throw new Error(`${what} is not used by the agent tests`);
};

function series(kind: 'above' | 'below' | 'within', n = 12): BandedSeries {
  const ts = Array.from({ length: n }, (_, i) => new Date(NOW.getTime() - (n - i) * 60_000).toISOString());
  const values = Array.from({ length: n }, (_, i) => {
    const tail = i >= n - 3;
    if (tail && kind === 'above') return 95 + i;
    if (tail && kind === 'below') return 2;
    return 40 + (i % 3);
  });
  return { timestamps: ts, values, lower: values.map(() => 30), upper: values.map(() => 55) };
}

export function fakeAws(s: Scenario = {}): AwsProviders {
  const fail = (k: keyof NonNullable<Scenario['failing']>) => {
    if (s.failing?.[k]) throw new Error(s.failing[k]);
  };
  const rows: UnifiedLogRow[] = [];
  let id = 0;
  for (const [service, level, message, count] of s.rdsLogs ?? [])
    for (let i = 0; i < count; i++)
      rows.push({
        id: String(++id),
        timestamp: new Date(NOW.getTime() - (count - i) * 20_000).toISOString(),
        service_name: service,
        log_level: level,
        message: message.replace('{n}', String(1000 + i)),
        metadata: null,
      });
  const events = new Map<string, LogEvent[]>();
  for (const [group, message, count] of s.cwLogs ?? []) {
    const list = events.get(group) ?? [];
    for (let i = 0; i < count; i++)
      list.push({
        timestamp: NOW.getTime() - (count - i) * 15_000,
        message: message.replace('{n}', String(7 + i)),
      });
    events.set(group, list);
  }
  const dynamo: DynamoProvider = {
    put: unused('dynamo.put'),
    get: unused('dynamo.get'),
    update: unused('dynamo.update'),
    delete: unused('dynamo.delete'),
    scan: unused('dynamo.scan'),
    tableName: (t) => t,
    async query(table, q) {
      fail('dynamo');
      if (table !== 'remediation_history') return [];
      return (s.history ?? []).filter(
        (it) =>
          it.resource_id === q.partition_value && String(it.execution_time) >= String(q.sort?.value ?? ''),
      );
    },
  };
  return {
    cloudwatch: {
      async getMetricWithBand(q) {
        fail('cloudwatch');
        return series(s.metrics?.[q.metric_name] ?? 'within');
      },
      getMetric: unused('cloudwatch.getMetric'),
      putMetricData: unused('cloudwatch.putMetricData'),
    },
    logs: {
      async filterEvents(q) {
        fail('logs');
        const term = q.filter_pattern.replace(/"/g, '');
        return (events.get(q.log_group) ?? [])
          .filter((e) => e.message.includes(term))
          .slice(0, q.limit ?? 100);
      },
      insightsQuery: unused('logs.insightsQuery'),
    },
    unifiedLogs: {
      errorCounts: unused('unifiedLogs.errorCounts'),
      insert: unused('unifiedLogs.insert'),
      async recentLogs(q) {
        fail('unifiedLogs');
        return rows
          .filter(
            (r) =>
              r.service_name === q.service_name &&
              q.levels.includes(r.log_level) &&
              r.timestamp >= q.since.toISOString(),
          )
          .sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1))
          .slice(0, q.limit);
      },
    },
    dynamo,
    lambda: {
      async getFunction(name): Promise<FunctionState> {
        fail('lambda');
        return {
          function_name: name,
          description: '',
          environment: {},
          memory_mb: 512,
          timeout_s: 30,
          last_modified: s.deployedAt?.[name] ?? new Date(NOW.getTime() - 30 * 86_400_000).toISOString(),
          version: '$LATEST',
        };
      },
      updateFunction: unused('lambda.updateFunction'),
      invokeAsync: unused('lambda.invokeAsync'),
    },
    events: { putEvents: unused('events.putEvents') },
    sfn: {
      startExecution: unused('sfn.startExecution'),
      sendTaskSuccess: unused('sfn'),
      sendTaskFailure: unused('sfn'),
      sendTaskHeartbeat: unused('sfn'),
    },
    rdsParams: {
      getParameter: unused('rdsParams'),
      describeParameter: unused('rdsParams'),
      setParameter: unused('rdsParams'),
      clusterWriter: unused('rdsParams'),
      rebootInstance: unused('rdsParams'),
    },
    dbSessions: { terminateIdle: unused('dbSessions') },
    autoScaling: { getCapacity: unused('autoScaling'), setCapacity: unused('autoScaling') },
    objects: { list: unused('objects.list'), getText: unused('objects.getText') },
    secrets: { getSecret: unused('secrets') },
    close: async () => {},
  };
}

export function fakeRuntime(s: Scenario = {}, llm?: LLMClient): Runtime {
  const config = loadConfig({ LLM_MAX_RETRIES: '0' });
  return {
    config,
    aws: fakeAws(s),
    llm: llm ?? createLLMClient(config),
    policy: loadPolicy(),
    services: DEFAULT_SERVICES,
    now: () => NOW,
  };
}

export function incidentFor(service: string, title = `Anomaly on ${service}`): Incident {
  return {
    incident_id: `inc-${service}-0001`,
    signature: '0123456789abcdef',
    service,
    severity: 'high',
    title,
    trigger: 'schedule',
    created_at: NOW.toISOString(),
    anomalies: [
      {
        signature: '0123456789abcdef',
        service,
        source: 'cloudwatch_metric',
        kind: 'metric_anomaly',
        severity: 'high',
        detected_at: NOW.toISOString(),
        summary: title,
      },
    ],
  };
}
