import { createMockAwsProviders, type MockAwsProviders } from '../../providers/aws';
import type { MetricDatum } from '../../providers/aws/types';
import { PgliteExecutor } from '../../providers/aws/unified-logs/pglite-executor';
import { SqlUnifiedLogProvider, type UnifiedLogInsertRow } from '../../providers/aws/unified-logs/provider';
import type { Config } from '../../providers/config';
import type { ServiceCatalog, ServiceDefinition } from '../../providers/domain';
import type { EvalCase } from './case';

/** Every case is evaluated "as of" this instant, so series, windows and ids are reproducible. */
export const EVAL_NOW = new Date('2026-11-26T08:00:00.000Z');
const MIN = 60_000;

/**
 * One PGlite engine for the whole run (it takes ~2 s to start); each case empties the table first.
 * Everything else (dynalite, CloudWatch, Logs, Lambda mocks) is fresh per case.
 */
export class SharedUnifiedLogs {
  readonly sql: PgliteExecutor;
  readonly provider: SqlUnifiedLogProvider;
  constructor(private readonly table: string) {
    this.sql = new PgliteExecutor(table);
    this.provider = new SqlUnifiedLogProvider(this.sql, table);
  }
  async clear(): Promise<void> {
    await this.sql.execute(`DELETE FROM ${this.table}`);
  }
  close(): Promise<void> {
    return this.sql.close();
  }
}

function serviceOf(c: EvalCase, services: ServiceCatalog): ServiceDefinition {
  const svc = services.find((s) => s.name === c.service);
  if (!svc) throw new Error(`case ${c.id}: service "${c.service}" is not in the catalog`);
  return svc;
}

/** The metric datapoints of a case: one per minute, a deterministic wobble around the baseline, then the excursion. */
export function metricData(c: EvalCase, services: ServiceCatalog, now = EVAL_NOW): MetricDatum[] {
  const svc = serviceOf(c, services);
  const out: MetricDatum[] = [];
  for (const m of c.telemetry.metrics) {
    const def = svc.metrics.find((x) => x.metric_name === m.metric_name);
    if (!def) throw new Error(`case ${c.id}: ${c.service} has no metric ${m.metric_name}`);
    for (let i = m.history_minutes; i >= 1; i--) {
      const excursion = m.spike !== undefined && i <= m.spike_minutes;
      const wobble = 1 + 0.05 * Math.sin(i / 3);
      out.push({
        namespace: def.namespace,
        metric_name: def.metric_name,
        dimensions: def.dimensions,
        value: (excursion ? m.spike! : m.baseline) * wobble,
        timestamp: new Date(now.getTime() - i * MIN + 1_000),
      });
    }
  }
  return out;
}

/** Unified-log rows: `count` rows per entry, evenly spread over its last `spread_minutes`. */
export function unifiedLogRows(c: EvalCase, now = EVAL_NOW): UnifiedLogInsertRow[] {
  const rows: UnifiedLogInsertRow[] = [];
  for (const l of c.telemetry.unified_logs) {
    const step = (l.spread_minutes * MIN) / l.count;
    for (let i = 0; i < l.count; i++)
      rows.push({
        timestamp: new Date(now.getTime() - (l.count - i) * step).toISOString(),
        service_name: c.service,
        log_level: l.level,
        message: l.message.replaceAll('{n}', String(1000 + i)),
        metadata: l.metadata,
      });
  }
  return rows;
}

/** CloudWatch Logs events per log group. */
export function logEvents(
  c: EvalCase,
  services: ServiceCatalog,
  now = EVAL_NOW,
): Record<string, { message: string; timestamp: number }[]> {
  const svc = serviceOf(c, services);
  const out: Record<string, { message: string; timestamp: number }[]> = {};
  for (const l of c.telemetry.cloudwatch_logs) {
    const group = l.group ?? svc.log_groups[0]?.name;
    if (!group) throw new Error(`case ${c.id}: ${c.service} has no log group for CloudWatch Logs lines`);
    const step = (l.spread_minutes * MIN) / l.count;
    const list = out[group] ?? [];
    for (let i = 0; i < l.count; i++) {
      const t = now.getTime() - (l.count - i) * step;
      list.push({ message: l.message.replaceAll('{n}', String(7 + i)), timestamp: Math.round(t) });
    }
    out[group] = list;
  }
  return out;
}

/**
 * Fresh mock AWS providers holding exactly the case's telemetry: metrics, CloudWatch Logs, unified-log
 * rows (on the shared PGlite, emptied first), Lambda functions last deployed 30 days ago unless the
 * case says otherwise, and its remediation history.
 */
export async function seedCase(
  c: EvalCase,
  opts: { config: Config; services: ServiceCatalog; shared: SharedUnifiedLogs; now?: Date },
): Promise<MockAwsProviders> {
  const now = opts.now ?? EVAL_NOW;
  const clock = () => now;
  const aws = await createMockAwsProviders({
    now: clock,
    config: opts.config,
    services: opts.services,
    seed: { metrics: metricData(c, opts.services, now), logs: logEvents(c, opts.services, now) },
  });
  // The shared SQL engine stands in for this case's own (which is never started).
  await opts.shared.clear();
  const rows = unifiedLogRows(c, now);
  if (rows.length) await opts.shared.provider.insert(rows);
  aws.unifiedLogs = opts.shared.provider;
  aws.sql = opts.shared.sql;

  const deployed = new Map(c.telemetry.changes.deployments.map((d) => [d.function_name, d.minutes_ago]));
  for (const name of aws.lambda.functionNames()) {
    const fn = await aws.lambda.getFunction(name);
    const ago = deployed.get(name) ?? 30 * 24 * 60;
    aws.lambda.addFunction(name, { ...fn, last_modified: new Date(now.getTime() - ago * MIN).toISOString() });
  }
  for (const r of c.telemetry.changes.remediations) {
    await aws.dynamo.put('remediation_history', {
      resource_id: r.resource_id,
      execution_time: new Date(now.getTime() - r.minutes_ago * MIN).toISOString(),
      incident_id: `inc-earlier-${c.id}`.slice(0, 60),
      execution_id: `eval-${c.id}`,
      service: c.service,
      action_type: r.action,
      parameters: r.parameters,
      parameters_json: JSON.stringify(r.parameters),
      dry_run: false,
      result: r.status,
      rollback_available: true,
      executed_by: 'bdp-agent',
    });
  }
  return aws;
}
