import {
  DescribeDBClusterParametersCommand,
  DescribeDBParametersCommand,
  ModifyDBClusterParameterGroupCommand,
  ModifyDBParameterGroupCommand,
  type Parameter,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { awsCall } from '../shared/errors';
import { AwsProviderError, type RdsParameterProvider } from '../types';

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
    try {
      return find(await this.describeCluster(group, name), name);
    } catch (e) {
      if (!isGroupNotFound(e)) throw e;
      return find(await this.describeInstance(group, name), name);
    }
  }

  /** ApplyMethod immediate: a static parameter (RDS requires pending-reboot) fails with a validation error. */
  async setParameter(group: string, name: string, value: string): Promise<void> {
    const Parameters = [{ ParameterName: name, ParameterValue: value, ApplyMethod: 'immediate' as const }];
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
