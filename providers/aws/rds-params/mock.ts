import { FaultInjector } from '../shared/faults';
import { AwsProviderError, type RdsParameterProvider } from '../types';

/** Engine defaults the mock gives every seeded parameter group (values as RDS reports them: strings). */
export const DEFAULT_DB_PARAMETERS: Record<string, string> = {
  max_connections: '100',
  work_mem: '4096',
  statement_timeout: '30000',
  shared_buffers: '16384',
};

export interface ParameterChange {
  group: string;
  name: string;
  value: string;
  previous: string | undefined;
  at: Date;
}

/** In-memory DB (cluster) parameter groups with a record of every modification. */
export class MockRdsParameters implements RdsParameterProvider {
  readonly faults = new FaultInjector('rds');
  readonly changes: ParameterChange[] = [];
  private readonly groups = new Map<string, Map<string, string>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  failNext(
    operation: 'DescribeDBClusterParameters' | 'ModifyDBClusterParameterGroup',
    kind: AwsProviderError['kind'],
    n = 1,
  ): void {
    this.faults.failNext(operation, kind, n);
  }

  /** Creates or replaces a parameter group (defaults + the given values). */
  addGroup(group: string, params: Record<string, string> = {}): void {
    this.groups.set(group, new Map(Object.entries({ ...DEFAULT_DB_PARAMETERS, ...params })));
  }

  async getParameter(group: string, name: string): Promise<string | undefined> {
    this.faults.check('DescribeDBClusterParameters');
    return this.find(group, 'DescribeDBClusterParameters').get(name);
  }

  async setParameter(group: string, name: string, value: string): Promise<void> {
    this.faults.check('ModifyDBClusterParameterGroup');
    const params = this.find(group, 'ModifyDBClusterParameterGroup');
    if (!/^[a-z_][a-z0-9_.]*$/.test(name)) {
      throw new AwsProviderError(
        'rds',
        'ModifyDBClusterParameterGroup',
        'validation',
        `InvalidParameterValue: unknown parameter name "${name}"`,
      );
    }
    this.changes.push({ group, name, value, previous: params.get(name), at: this.now() });
    params.set(name, value);
  }

  private find(group: string, operation: string): Map<string, string> {
    const params = this.groups.get(group);
    if (!params)
      throw new AwsProviderError('rds', operation, 'not_found', `DBParameterGroupNotFound: ${group}`);
    return params;
  }
}
