import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook } from '../../../agent/knowledge/parse';
import { FAULTS, type FaultId, PlatformSimulator, SCENARIOS } from '../../../bot/local/simulator';
import { detectMetricAnomalies } from '../../../pipeline/detection/metric-source';
import { detectUnifiedLogAnomalies } from '../../../pipeline/detection/unified-log-source';
import { MockAutoScaling } from '../../../providers/aws/autoscaling/mock';
import { MockCloudWatch } from '../../../providers/aws/cloudwatch/mock';
import { MockDbSessions } from '../../../providers/aws/db-sessions';
import { MockLambda } from '../../../providers/aws/lambda/mock';
import { MockCloudWatchLogs } from '../../../providers/aws/logs/mock';
import { MockRdsParameters } from '../../../providers/aws/rds-params/mock';
import type { UnifiedLogProvider, UnifiedLogRow } from '../../../providers/aws/types';
import type { UnifiedLogInsertRow } from '../../../providers/aws/unified-logs/provider';
import { DEFAULT_SERVICES } from '../../../providers/config';

const MIN = 60_000;
const START = Date.parse('2026-11-26T08:00:20Z');

/** Unified logs kept in memory, with the two queries detection runs. */
class MemoryUnifiedLogs {
  rows: UnifiedLogInsertRow[] = [];
  async insert(rows: UnifiedLogInsertRow[]) {
    this.rows.push(...rows);
  }
  async errorCounts(q: { window_start: Date; baseline_start: Date; end: Date }) {
    const by = new Map<string, { service_name: string; window_errors: number; baseline_errors: number }>();
    for (const r of this.rows) {
      if (r.log_level !== 'ERROR' && r.log_level !== 'FATAL') continue;
      const t = Date.parse(r.timestamp!);
      const c = by.get(r.service_name!) ?? {
        service_name: r.service_name!,
        window_errors: 0,
        baseline_errors: 0,
      };
      if (t >= q.window_start.getTime() && t < q.end.getTime()) c.window_errors++;
      else if (t >= q.baseline_start.getTime() && t < q.window_start.getTime()) c.baseline_errors++;
      by.set(r.service_name!, c);
    }
    return [...by.values()];
  }
  async recentLogs(q: { service_name: string; since: Date; limit: number }): Promise<UnifiedLogRow[]> {
    return this.rows
      .filter((r) => r.service_name === q.service_name && Date.parse(r.timestamp!) >= q.since.getTime())
      .slice(-q.limit)
      .map((r, i) => ({ ...r, id: i, metadata: null }) as unknown as UnifiedLogRow);
  }
}

function platformAt(scenario: keyof typeof SCENARIOS) {
  let now = START;
  const clock = () => new Date(now);
  const platform = {
    cloudwatch: new MockCloudWatch(clock),
    logs: new MockCloudWatchLogs(clock),
    unifiedLogs: new MemoryUnifiedLogs(),
    rdsParams: new MockRdsParameters(clock),
    dbSessions: new MockDbSessions(clock),
    lambda: new MockLambda(clock),
    autoScaling: new MockAutoScaling(clock),
  };
  platform.rdsParams.addCluster('orders-db', 'orders-db-params', ['orders-db-instance-1']);
  platform.lambda.addFunction('payments-api', { timeout_s: 30 });
  platform.autoScaling.addTarget('ecs_service', 'service/bdp-cluster/stream-consumer', {
    desired: 2,
    min: 1,
    max: 20,
  });
  const events: string[] = [];
  const sim = new PlatformSimulator({
    platform,
    services: DEFAULT_SERVICES,
    now: () => now,
    scenario: SCENARIOS[scenario]!,
    onEvent: (e) => events.push(`${e.kind}:${e.fault}`),
  });
  const window = (minutes = 5) => ({
    now: new Date(now),
    window_start: new Date(now - minutes * MIN),
    baseline_start: new Date(now - 65 * MIN),
    window_minutes: minutes,
    baseline_minutes: 60,
  });
  return {
    sim,
    platform,
    events,
    /** Moves simulated time on and lets the simulator catch up, a minute at a time. */
    async advance(minutes: number) {
      for (let i = 0; i < minutes; i++) {
        now += MIN;
        await sim.tick();
      }
    },
    metricAnomalies: async () =>
      (await detectMetricAnomalies(platform.cloudwatch, DEFAULT_SERVICES, window())).anomalies.map(
        (a) => `${a.service}/${a.metric?.metric_name}`,
      ),
    logAnomalies: async () =>
      (
        await detectUnifiedLogAnomalies(
          platform.unifiedLogs as unknown as UnifiedLogProvider,
          DEFAULT_SERVICES,
          window(),
        )
      ).anomalies.map((a) => a.service),
  };
}

describe('the simulated platform', () => {
  it('is healthy without faults: a band for every metric and nothing outside it', async () => {
    const p = platformAt('quiet');
    await p.sim.start();
    await p.advance(30);
    expect(await p.metricAnomalies()).toEqual([]);
    expect(await p.logAnomalies()).toEqual([]);
    const points = p.platform.cloudwatch.datapoints('AWS/RDS', 'DatabaseConnections', {
      DBClusterIdentifier: 'orders-db',
    });
    expect(points.length).toBeGreaterThanOrEqual(240);
  });

  it('starts the first fault already under way, so the first detection run sees it', async () => {
    const p = platformAt('db-connections');
    await p.sim.start();
    expect(await p.metricAnomalies()).toEqual(['orders-db/DatabaseConnections']);
    expect(await p.logAnomalies()).toEqual(['orders-db']);
    expect(p.events).toEqual(['fault_started:db-connections']);
  });

  it("recovers when the leaked idle sessions are ended (the runbook's first step)", async () => {
    const p = platformAt('db-connections');
    await p.sim.start();
    await p.advance(3);
    expect(await p.metricAnomalies()).toContain('orders-db/DatabaseConnections');
    expect(await p.platform.dbSessions.count()).toBe(40);
    // What the rds_terminate_idle_sessions executor does.
    await p.platform.dbSessions.terminateIdle({
      cluster_id: 'orders-db',
      idle_minutes: 10,
      max_sessions: 25,
      protected_users: ['rdsadmin'],
      protected_applications: ['bdp-agent'],
    });
    await p.advance(6);
    expect(p.events).toContain('fault_fixed:db-connections');
    expect(await p.metricAnomalies()).toEqual([]);
    expect(await p.logAnomalies()).toEqual([]);
  });

  it('a raised max_connections helps only once the writer is rebooted (static on Aurora)', async () => {
    const p = platformAt('db-connections');
    await p.sim.start();
    await p.advance(3);
    // What the rds_parameter executor does for a static parameter: the group changes, the engine does not.
    await p.platform.rdsParams.setParameter('orders-db-params', 'max_connections', '200', 'pending-reboot');
    await p.advance(6);
    expect(p.events).not.toContain('fault_fixed:db-connections');
    // The approved rds_reboot.
    await p.platform.rdsParams.rebootInstance('orders-db-instance-1');
    await p.advance(6);
    expect(p.events).toContain('fault_fixed:db-connections');
    expect(await p.metricAnomalies()).toEqual([]);
  });

  it('does not recover from an unrelated change', async () => {
    const p = platformAt('db-connections');
    await p.sim.start();
    await p.platform.rdsParams.setParameter('orders-db-params', 'work_mem', '8192');
    await p.platform.rdsParams.setParameter('orders-db-params', 'max_connections', '300', 'pending-reboot');
    await p.advance(6);
    expect(p.sim.active().map((f) => f.id)).toEqual(['db-connections']);
    expect(await p.metricAnomalies()).toContain('orders-db/DatabaseConnections');
  });

  it.each<[FaultId, (p: ReturnType<typeof platformAt>['platform']) => Promise<unknown>, string]>([
    [
      'queue-backlog',
      (pl) =>
        pl.autoScaling.setCapacity('ecs_service', 'service/bdp-cluster/stream-consumer', { desired: 4 }),
      'stream-consumer/ApproximateAgeOfOldestMessage',
    ],
    [
      'lambda-timeout',
      (pl) => pl.lambda.updateFunction('payments-api', { environment: { BDP_RESTARTED_AT: 'now' } }),
      'payments-api/Duration',
    ],
  ])('%s shows in its metric and is fixed by its runbook action', async (id, fix, metric) => {
    const p = platformAt(id);
    await p.sim.start();
    await p.advance(1);
    expect(await p.metricAnomalies()).toEqual([metric]);
    await fix(p.platform);
    await p.advance(6);
    expect(p.events).toContain(`fault_fixed:${id}`);
    expect(await p.metricAnomalies()).toEqual([]);
  });

  it('a fault nothing may fix stays until the on-call clears it', async () => {
    const p = platformAt('unknown-fault');
    await p.sim.start();
    expect(await p.metricAnomalies()).toEqual(['ingest-worker/Errors']);
    await p.advance(10);
    expect(await p.logAnomalies()).toEqual(['ingest-worker']);
    expect(p.events).toEqual(['fault_started:unknown-fault']);
    await p.advance(40);
    expect(p.events).toContain('fault_cleared:unknown-fault');
  });

  it('the default scenario cycles through its faults on schedule', async () => {
    const p = platformAt('default');
    await p.sim.start();
    await p.advance(SCENARIOS.default!.every_minutes * 2 + 1);
    expect(p.events.filter((e) => e.startsWith('fault_started'))).toEqual([
      'fault_started:queue-backlog',
      'fault_started:db-connections',
      'fault_started:unknown-fault',
    ]);
  });
});

describe('faults against the runbooks', () => {
  const runbooks = readdirSync(join(__dirname, '../../../knowledge-base/runbooks'))
    .filter((f) => f.endsWith('.md'))
    .map((f) =>
      parseRunbook(readFileSync(join(__dirname, '../../../knowledge-base/runbooks', f), 'utf8'), f),
    );
  const signalsOf = (id: FaultId) => {
    const f = FAULTS[id];
    return [
      ...Object.keys(f.metrics),
      ...(f.unified_logs ?? []).filter((l) => l.level !== 'WARN').map((l) => l.message),
      ...(f.cloudwatch_logs ?? []).filter((l) => l.level !== 'WARN').map((l) => l.message),
    ].map((s) => s.toLowerCase());
  };

  it.each(Object.values(FAULTS).filter((f) => f.runbook))('$id is covered by runbook $runbook', (f) => {
    const rb = runbooks.find((r) => r.id === f.runbook);
    expect(rb).toBeDefined();
    const signals = signalsOf(f.id);
    expect(rb!.patterns.some((p) => signals.some((s) => s.includes(p.toLowerCase())))).toBe(true);
  });

  it('the unknown fault matches no runbook pattern (the product must escalate it)', () => {
    const signals = signalsOf('unknown-fault');
    const hits = runbooks.flatMap((r) =>
      r.patterns.filter((p) => signals.some((s) => s.includes(p.toLowerCase()))).map((p) => `${r.id}: ${p}`),
    );
    expect(hits).toEqual([]);
  });
});
