import type { NewLogEvent } from '../../../providers/aws';
import type { MetricDatum } from '../../../providers/aws/types';
import type { UnifiedLogInsertRow } from '../../../providers/aws/unified-logs/provider';
import type { ServiceCatalog, ServiceDefinition } from '../../../providers/domain';
import {
  FAULTS,
  type FaultDefinition,
  type FaultId,
  type FaultLogLine,
  type PlatformControls,
  type ScenarioDefinition,
} from './faults';

const MINUTE = 60_000;

/** What the simulator writes into: the mock providers' ingestion hooks plus the controls it watches. */
export type SimulatedPlatform = PlatformControls & {
  cloudwatch: { seed(data: MetricDatum[]): void };
  logs: { putLogEvents(group: string, events: NewLogEvent[]): void };
  unifiedLogs: { insert(rows: UnifiedLogInsertRow[]): Promise<void> };
};

export interface ActiveFault {
  id: FaultId;
  definition: FaultDefinition;
  /** Simulated epoch ms. */
  started_at: number;
  /** When it stopped (fixed or cleared); signals are back to normal from here. */
  ended_at?: number;
  outcome?: 'fixed' | 'cleared';
  /** The watched platform value when the fault started. */
  fix_baseline?: number;
}

export type SimulatorEvent =
  | { kind: 'fault_started'; fault: FaultId; service: string; at: Date }
  | { kind: 'fault_fixed'; fault: FaultId; service: string; at: Date; by: string }
  | { kind: 'fault_cleared'; fault: FaultId; service: string; at: Date };

export interface SimulatorOptions {
  platform: SimulatedPlatform;
  services: ServiceCatalog;
  /** The simulated clock (epoch ms). */
  now: () => number;
  scenario: ScenarioDefinition;
  /** Minutes of healthy history written at start, so every metric has an anomaly band. Default 240. */
  history_minutes?: number;
  /** The first fault is already this many minutes old at start, so the first detection sees it. Default 4. */
  first_fault_age_minutes?: number;
  /** A fault nothing fixes is cleared by hand (the on-call) after this many minutes. Default 45. */
  clear_after_minutes?: number;
  onEvent?: (e: SimulatorEvent) => void;
}

/** Healthy values of the catalog's metrics; a metric not listed idles at 10. */
const BASELINES: Record<string, number> = {
  'payments-api/Duration': 800,
  'payments-api/Errors': 0,
  'ingest-worker/Errors': 0,
  'ingest-worker/Throttles': 0,
  'orders-db/DatabaseConnections': 40,
  'orders-db/FreeStorageSpace': 50_000_000_000,
  'stream-consumer/ApproximateAgeOfOldestMessage': 30,
  'nightly-etl/RecordsProcessed': 12_000,
};

const HEALTHY_LINES: Record<ServiceDefinition['kind'], string> = {
  lambda: 'request completed: 200 in 184 ms',
  ecs: 'processed 1200 records from shard shardId-000000000003',
  aurora: 'checkpoint complete: wrote 312 buffers (1.9%)',
  spark: 'stage 3/7 finished: 12000 records',
  glue: 'job run progressing: 4 of 9 partitions written',
  other: 'heartbeat ok',
};

/**
 * The simulated data platform: the catalog's services write a metric datapoint per simulated minute
 * (with a small deterministic wobble, inside the band the mock computes), INFO rows into the unified
 * logs and their CloudWatch log groups. Faults replace a service's signals from their start until
 * the real remediation changes the platform (raised max_connections, more tasks, a restarted
 * function) — then the signals recover — or until the on-call "clears" a fault nothing may fix.
 */
export class PlatformSimulator {
  readonly faults: ActiveFault[] = [];
  private readonly o: Required<Omit<SimulatorOptions, 'onEvent'>> & Pick<SimulatorOptions, 'onEvent'>;
  /** The next minute (epoch minute index) whose signals are still to be written. */
  private nextMinute = 0;
  private nextFaultAt = Number.POSITIVE_INFINITY;
  private cycle = 0;
  private busy?: Promise<void>;

  constructor(opts: SimulatorOptions) {
    this.o = { history_minutes: 240, first_fault_age_minutes: 4, clear_after_minutes: 45, ...opts };
  }

  /** Writes the history (with the first fault already under way) and arms the fault schedule. */
  async start(): Promise<void> {
    const now = this.o.now();
    const current = Math.floor(now / MINUTE);
    const first = this.o.scenario.faults[0];
    if (first) {
      const start = (current - this.o.first_fault_age_minutes) * MINUTE;
      await this.startFault(first, start);
      this.cycle = 1;
      this.nextFaultAt = start + this.o.scenario.every_minutes * MINUTE;
    }
    this.nextMinute = current - this.o.history_minutes;
    await this.emitUntil(now, { logs_from: current - 60 });
  }

  /** Advances to the simulated now: writes completed minutes, notices fixes, starts due faults. Never overlaps itself. */
  tick(): Promise<void> {
    this.busy ??= this.step().finally(() => {
      this.busy = undefined;
    });
    return this.busy;
  }

  /** Starts a fault now (or at `at`), e.g. from a test; returns it. */
  async inject(id: FaultId, at = this.o.now()): Promise<ActiveFault> {
    return this.startFault(id, at);
  }

  active(): ActiveFault[] {
    return this.faults.filter((f) => f.ended_at === undefined);
  }

  private async step(): Promise<void> {
    const now = this.o.now();
    await this.checkFixes(now);
    if (now >= this.nextFaultAt) await this.startDueFault(now);
    await this.emitUntil(now);
    // Keep the record short: only faults of the last few hours matter for the signals.
    const horizon = now - 6 * 60 * MINUTE;
    for (let i = this.faults.length - 1; i >= 0; i--) {
      const f = this.faults[i]!;
      if (f.ended_at !== undefined && f.ended_at < horizon) this.faults.splice(i, 1);
    }
  }

  private async startDueFault(now: number): Promise<void> {
    const ids = this.o.scenario.faults;
    const id = ids[this.cycle % ids.length]!;
    const busy = this.active().some((f) => f.definition.service === FAULTS[id].service);
    if (busy) {
      // One fault per service at a time: try again a little later.
      this.nextFaultAt = now + 5 * MINUTE;
      return;
    }
    this.cycle++;
    await this.startFault(id, now);
    this.nextFaultAt = now + this.o.scenario.every_minutes * MINUTE;
  }

  private async startFault(id: FaultId, at: number): Promise<ActiveFault> {
    const definition = FAULTS[id];
    const fault: ActiveFault = { id, definition, started_at: at };
    await definition.onStart?.(this.o.platform);
    if (definition.fix) fault.fix_baseline = await definition.fix.read(this.o.platform);
    this.faults.push(fault);
    this.o.onEvent?.({ kind: 'fault_started', fault: id, service: definition.service, at: new Date(at) });
    return fault;
  }

  private async checkFixes(now: number): Promise<void> {
    for (const f of this.active()) {
      const fix = f.definition.fix;
      if (fix && f.fix_baseline !== undefined) {
        const value = await fix.read(this.o.platform);
        if (fix.fixed(f.fix_baseline, value)) {
          f.ended_at = now;
          f.outcome = 'fixed';
          this.o.onEvent?.({
            kind: 'fault_fixed',
            fault: f.id,
            service: f.definition.service,
            at: new Date(now),
            by: fix.describe,
          });
          continue;
        }
      }
      if (now - f.started_at >= this.o.clear_after_minutes * MINUTE) {
        f.ended_at = now;
        f.outcome = 'cleared';
        this.o.onEvent?.({
          kind: 'fault_cleared',
          fault: f.id,
          service: f.definition.service,
          at: new Date(now),
        });
      }
    }
  }

  /** The fault affecting a service during the minute starting at `t`, if any. */
  private faultAt(service: string, t: number): ActiveFault | undefined {
    return this.faults.find(
      (f) =>
        f.definition.service === service && f.started_at <= t && (f.ended_at === undefined || t < f.ended_at),
    );
  }

  /** Writes every minute that has completed by `now`. */
  private async emitUntil(now: number, opts: { logs_from?: number } = {}): Promise<void> {
    const last = Math.floor(now / MINUTE) - 1;
    const metrics: MetricDatum[] = [];
    const rows: UnifiedLogInsertRow[] = [];
    const events = new Map<string, NewLogEvent[]>();
    for (let k = this.nextMinute; k <= last; k++) {
      const t = k * MINUTE;
      const withLogs = opts.logs_from === undefined || k >= opts.logs_from;
      for (const svc of this.o.services) {
        const fault = this.faultAt(svc.name, t);
        const minuteIn = fault ? Math.floor((t - fault.started_at) / MINUTE) : 0;
        for (const m of svc.metrics) {
          const base = BASELINES[`${svc.name}/${m.metric_name}`] ?? 10;
          const faulty = fault?.definition.metrics[m.metric_name];
          // A deterministic wobble well inside the band the mock computes (sd floor: 10 % of the mean).
          const value = faulty
            ? faulty(base, minuteIn)
            : base * (1 + 0.04 * Math.sin(k / 3 + svc.name.length));
          metrics.push({
            namespace: m.namespace,
            metric_name: m.metric_name,
            dimensions: m.dimensions,
            value: Math.round(value * 100) / 100,
            timestamp: new Date(t + 1_000),
          });
        }
        if (!withLogs) continue;
        rows.push({
          timestamp: new Date(t + 5_000).toISOString(),
          service_name: svc.name,
          log_level: 'INFO',
          message: HEALTHY_LINES[svc.kind],
          metadata: null,
        });
        const group = svc.log_groups[0]?.name;
        const groupEvents = group ? (events.get(group) ?? []) : [];
        if (group) {
          groupEvents.push({ message: `INFO ${HEALTHY_LINES[svc.kind]}`, timestamp: t + 5_000 });
          events.set(group, groupEvents);
        }
        if (!fault) continue;
        for (const line of fault.definition.unified_logs ?? [])
          for (const [i, at] of spread(t, line).entries())
            rows.push({
              timestamp: new Date(at).toISOString(),
              service_name: svc.name,
              log_level: line.level,
              message: `${line.message} (request ${k % 10_000}-${i})`,
              metadata: null,
            });
        if (group)
          for (const line of fault.definition.cloudwatch_logs ?? [])
            for (const at of spread(t, line))
              groupEvents.push({ message: `${new Date(at).toISOString()} ${line.message}`, timestamp: at });
      }
    }
    this.nextMinute = Math.max(this.nextMinute, last + 1);
    if (metrics.length) this.o.platform.cloudwatch.seed(metrics);
    for (const [group, list] of events) if (list.length) this.o.platform.logs.putLogEvents(group, list);
    if (rows.length) await this.o.platform.unifiedLogs.insert(rows);
  }
}

/** Timestamps of a fault's lines within the minute starting at t. */
function spread(t: number, line: FaultLogLine): number[] {
  const n = Math.max(1, line.per_minute);
  return Array.from({ length: n }, (_, i) => t + 2_000 + Math.floor((i * 55_000) / n));
}
