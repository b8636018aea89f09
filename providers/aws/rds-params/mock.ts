import { FaultInjector } from '../shared/faults';
import {
  AwsProviderError,
  type ClusterWriter,
  type ParameterApplyMethod,
  type ParameterApplyType,
  type ParameterInfo,
  type RdsParameterProvider,
} from '../types';

/** Engine defaults the mock gives every seeded parameter group (values as RDS reports them: strings). */
export const DEFAULT_DB_PARAMETERS: Record<string, string> = {
  max_connections: '100',
  work_mem: '4096',
  statement_timeout: '30000',
  shared_buffers: '16384',
  idle_in_transaction_session_timeout: '0',
};

/**
 * ApplyType as Aurora PostgreSQL reports it: max_connections and shared_buffers are static (they take
 * effect at the next reboot; `immediate` is refused), the session settings are dynamic. Names not
 * listed here are dynamic.
 */
export const AURORA_POSTGRES_APPLY_TYPES: Record<string, ParameterApplyType> = {
  max_connections: 'static',
  shared_buffers: 'static',
  max_worker_processes: 'static',
  work_mem: 'dynamic',
  statement_timeout: 'dynamic',
  idle_in_transaction_session_timeout: 'dynamic',
};

export interface ParameterChange {
  group: string;
  name: string;
  value: string;
  previous: string | undefined;
  method: ParameterApplyMethod;
  at: Date;
}

export interface Reboot {
  instance_id: string;
  cluster_id?: string;
  /** Static parameters the reboot applied. */
  applied: string[];
  at: Date;
}

interface Group {
  /** What DescribeDB(Cluster)Parameters reports: the group's configured values. */
  configured: Map<string, string>;
  /** What the running engine uses: equal to configured except for static changes awaiting a reboot. */
  running: Map<string, string>;
}

interface Cluster {
  parameter_group: string;
  writer: string;
  instances: string[];
}

/**
 * In-memory DB (cluster) parameter groups and clusters, shaped like Aurora PostgreSQL: static
 * parameters refuse `immediate`, a `pending-reboot` change waits (the cluster reports pending-reboot)
 * until its writer is rebooted. Every modification and reboot is recorded.
 */
export class MockRdsParameters implements RdsParameterProvider {
  readonly faults = new FaultInjector('rds');
  readonly changes: ParameterChange[] = [];
  readonly reboots: Reboot[] = [];
  private readonly groups = new Map<string, Group>();
  private readonly clusters = new Map<string, Cluster>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly applyTypes: Record<string, ParameterApplyType> = AURORA_POSTGRES_APPLY_TYPES,
  ) {}

  failNext(
    operation:
      | 'DescribeDBClusterParameters'
      | 'ModifyDBClusterParameterGroup'
      | 'DescribeDBClusters'
      | 'RebootDBInstance',
    kind: AwsProviderError['kind'],
    n = 1,
  ): void {
    this.faults.failNext(operation, kind, n);
  }

  /** Creates or replaces a parameter group (defaults + the given values). */
  addGroup(group: string, params: Record<string, string> = {}): void {
    const values = Object.entries({ ...DEFAULT_DB_PARAMETERS, ...params });
    this.groups.set(group, { configured: new Map(values), running: new Map(values) });
  }

  /** Creates a cluster using `parameter_group`; the first instance is the writer. */
  addCluster(cluster_id: string, parameter_group: string, instances: string[]): void {
    if (!this.groups.has(parameter_group)) this.addGroup(parameter_group);
    this.clusters.set(cluster_id, { parameter_group, writer: instances[0]!, instances: [...instances] });
  }

  applyTypeOf(name: string): ParameterApplyType {
    return this.applyTypes[name] ?? 'dynamic';
  }

  /** The value the engine runs with (a static change shows here only after a reboot). */
  runningValue(group: string, name: string): string | undefined {
    return this.groups.get(group)?.running.get(name);
  }

  /** Names whose configured value waits for a reboot. */
  pendingReboot(group: string): string[] {
    const g = this.groups.get(group);
    if (!g) return [];
    return [...g.configured].filter(([k, v]) => g.running.get(k) !== v).map(([k]) => k);
  }

  async getParameter(group: string, name: string): Promise<string | undefined> {
    this.faults.check('DescribeDBClusterParameters');
    return this.find(group, 'DescribeDBClusterParameters').configured.get(name);
  }

  async describeParameter(group: string, name: string): Promise<ParameterInfo | undefined> {
    this.faults.check('DescribeDBClusterParameters');
    const g = this.find(group, 'DescribeDBClusterParameters');
    if (!g.configured.has(name) && !(name in this.applyTypes)) return undefined;
    return { name, value: g.configured.get(name), apply_type: this.applyTypeOf(name), is_modifiable: true };
  }

  async setParameter(
    group: string,
    name: string,
    value: string,
    method: ParameterApplyMethod = 'immediate',
  ): Promise<void> {
    this.faults.check('ModifyDBClusterParameterGroup');
    const g = this.find(group, 'ModifyDBClusterParameterGroup');
    if (!/^[a-z_][a-z0-9_.]*$/.test(name)) {
      throw new AwsProviderError(
        'rds',
        'ModifyDBClusterParameterGroup',
        'validation',
        `InvalidParameterValue: unknown parameter name "${name}"`,
      );
    }
    if (method === 'immediate' && this.applyTypeOf(name) === 'static') {
      // What RDS answers for ApplyMethod immediate on a static parameter.
      throw new AwsProviderError(
        'rds',
        'ModifyDBClusterParameterGroup',
        'validation',
        `InvalidParameterCombination: cannot use immediate apply method for static parameter ${name}`,
      );
    }
    this.changes.push({ group, name, value, previous: g.configured.get(name), method, at: this.now() });
    g.configured.set(name, value);
    if (method === 'immediate') g.running.set(name, value);
  }

  async clusterWriter(cluster_id: string): Promise<ClusterWriter> {
    this.faults.check('DescribeDBClusters');
    const c = this.clusters.get(cluster_id);
    if (!c)
      throw new AwsProviderError(
        'rds',
        'DescribeDBClusters',
        'not_found',
        `DBClusterNotFound: ${cluster_id}`,
      );
    return {
      cluster_id,
      instance_id: c.writer,
      status: 'available',
      parameter_group: c.parameter_group,
      pending_reboot: this.pendingReboot(c.parameter_group).length > 0,
    };
  }

  async rebootInstance(instance_id: string): Promise<void> {
    this.faults.check('RebootDBInstance');
    const entry = [...this.clusters].find(([, c]) => c.instances.includes(instance_id));
    if (!entry)
      throw new AwsProviderError(
        'rds',
        'RebootDBInstance',
        'not_found',
        `DBInstanceNotFound: ${instance_id}`,
      );
    const [cluster_id, c] = entry;
    const g = this.find(c.parameter_group, 'RebootDBInstance');
    const applied = this.pendingReboot(c.parameter_group);
    // A writer reboot applies the cluster group's pending values (readers would follow on their own reboot).
    if (c.writer === instance_id) for (const k of applied) g.running.set(k, g.configured.get(k)!);
    this.reboots.push({
      instance_id,
      cluster_id,
      applied: c.writer === instance_id ? applied : [],
      at: this.now(),
    });
  }

  private find(group: string, operation: string): Group {
    const g = this.groups.get(group);
    if (!g) throw new AwsProviderError('rds', operation, 'not_found', `DBParameterGroupNotFound: ${group}`);
    return g;
  }
}
