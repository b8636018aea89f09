import {
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  ModifyDBClusterParameterGroupCommand,
  ModifyDBParameterGroupCommand,
  type Parameter,
  type RDSClient,
  RebootDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { awsCall } from '../shared/errors';
import {
  AwsProviderError,
  type ClusterWriter,
  type ParameterApplyMethod,
  type ParameterInfo,
  type RdsParameterProvider,
} from '../types';

/** Describe pages read at most (a cluster group has a few hundred parameters). */
const MAX_PAGES = 20;

const isGroupNotFound = (e: unknown) => e instanceof AwsProviderError && e.kind === 'not_found';

/**
 * DB parameter groups on the SDK. A group name is tried as a cluster parameter group first and, when
 * RDS says no such cluster group exists, as an instance parameter group.
 */
export class SdkRdsParameters implements RdsParameterProvider {
  constructor(private readonly client: RDSClient) {}

  async getParameter(group: string, name: string): Promise<string | undefined> {
    return (await this.describeParameter(group, name))?.value;
  }

  async describeParameter(group: string, name: string): Promise<ParameterInfo | undefined> {
    let params: Parameter[];
    try {
      params = await this.describeCluster(group, name);
    } catch (e) {
      if (!isGroupNotFound(e)) throw e;
      params = await this.describeInstance(group, name);
    }
    const p = params.find((x) => x.ParameterName === name);
    if (!p) return undefined;
    return {
      name,
      value: p.ParameterValue,
      // Unknown or missing ApplyType is treated as static: pending-reboot never fails, immediate may.
      apply_type: p.ApplyType?.toLowerCase() === 'dynamic' ? 'dynamic' : 'static',
      is_modifiable: p.IsModifiable !== false,
    };
  }

  /** RDS refuses ApplyMethod immediate for a static parameter: the caller passes pending-reboot for those. */
  async setParameter(
    group: string,
    name: string,
    value: string,
    method: ParameterApplyMethod = 'immediate',
  ): Promise<void> {
    const Parameters = [{ ParameterName: name, ParameterValue: value, ApplyMethod: method }];
    try {
      await awsCall('rds', 'ModifyDBClusterParameterGroup', (abortSignal) =>
        this.client.send(
          new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: group, Parameters }),
          { abortSignal },
        ),
      );
    } catch (e) {
      if (!isGroupNotFound(e)) throw e;
      await awsCall('rds', 'ModifyDBParameterGroup', (abortSignal) =>
        this.client.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: group, Parameters }), {
          abortSignal,
        }),
      );
    }
  }

  async clusterWriter(cluster_id: string): Promise<ClusterWriter> {
    const out = await awsCall('rds', 'DescribeDBClusters', (abortSignal) =>
      this.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster_id }), { abortSignal }),
    );
    const cluster = out.DBClusters?.[0];
    const writer = cluster?.DBClusterMembers?.find((m) => m.IsClusterWriter);
    if (!cluster || !writer?.DBInstanceIdentifier)
      throw new AwsProviderError(
        'rds',
        'DescribeDBClusters',
        'not_found',
        `no writer instance in ${cluster_id}`,
      );
    const instance_id = writer.DBInstanceIdentifier;
    const inst = await awsCall('rds', 'DescribeDBInstances', (abortSignal) =>
      this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instance_id }), {
        abortSignal,
      }),
    );
    const status = inst.DBInstances?.[0]?.DBInstanceStatus ?? 'unknown';
    return {
      cluster_id,
      instance_id,
      status,
      parameter_group: cluster.DBClusterParameterGroup,
      pending_reboot:
        writer.DBClusterParameterGroupStatus === 'pending-reboot' ||
        (inst.DBInstances?.[0]?.DBParameterGroups ?? []).some(
          (g) => g.ParameterApplyStatus === 'pending-reboot',
        ),
    };
  }

  async rebootInstance(instance_id: string): Promise<void> {
    await awsCall('rds', 'RebootDBInstance', (abortSignal) =>
      this.client.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: instance_id }), { abortSignal }),
    );
  }

  private async describeCluster(group: string, name: string): Promise<Parameter[]> {
    const params: Parameter[] = [];
    let Marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await awsCall('rds', 'DescribeDBClusterParameters', (abortSignal) =>
        this.client.send(
          new DescribeDBClusterParametersCommand({
            DBClusterParameterGroupName: group,
            Filters: [{ Name: 'parameter-name', Values: [name] }],
            ...(Marker ? { Marker } : {}),
          }),
          { abortSignal },
        ),
      );
      params.push(...(out.Parameters ?? []));
      Marker = out.Marker;
      if (!Marker || find(params, name) !== undefined) break;
    }
    return params;
  }

  private async describeInstance(group: string, name: string): Promise<Parameter[]> {
    const params: Parameter[] = [];
    let Marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await awsCall('rds', 'DescribeDBParameters', (abortSignal) =>
        this.client.send(
          new DescribeDBParametersCommand({
            DBParameterGroupName: group,
            Filters: [{ Name: 'parameter-name', Values: [name] }],
            ...(Marker ? { Marker } : {}),
          }),
          { abortSignal },
        ),
      );
      params.push(...(out.Parameters ?? []));
      Marker = out.Marker;
      if (!Marker || find(params, name) !== undefined) break;
    }
    return params;
  }
}

/** The value of one parameter (the filter narrows the answer; the name is checked anyway). */
function find(params: Parameter[], name: string): string | undefined {
  return params.find((p) => p.ParameterName === name)?.ParameterValue;
}
