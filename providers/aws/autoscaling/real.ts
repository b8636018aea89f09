import {
  type ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
  type ScalableDimension,
  type ServiceNamespace,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand, type ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { awsCall } from '../shared/errors';
import { type AutoScalingProvider, AwsProviderError, type Capacity } from '../types';
import { mergeCapacity } from './capacity';

type ResourceType = 'ecs_service' | 'scalable_target';

/** `service/<cluster>/<service>`, the Application Auto Scaling resource id of an ECS service. */
export function parseEcsResourceId(resource_id: string): { cluster: string; service: string } {
  const m = /^service\/([^/]+)\/([^/]+)$/.exec(resource_id);
  if (!m)
    throw new AwsProviderError(
      'autoscaling',
      'ParseResourceId',
      'validation',
      `"${resource_id}" is not service/<cluster>/<service>`,
    );
  return { cluster: m[1]!, service: m[2]! };
}

/**
 * A scalable target is named `<ResourceId>|<ScalableDimension>`, e.g.
 * `table/orders|dynamodb:table:ReadCapacityUnits`; the namespace is the dimension's first segment.
 */
export function parseScalableTargetId(resource_id: string): {
  resourceId: string;
  dimension: ScalableDimension;
  namespace: ServiceNamespace;
} {
  const [resourceId, dimension] = resource_id.split('|');
  if (!resourceId || !dimension?.includes(':')) {
    throw new AwsProviderError(
      'autoscaling',
      'ParseResourceId',
      'validation',
      `"${resource_id}" is not <ResourceId>|<ScalableDimension>`,
    );
  }
  return {
    resourceId,
    dimension: dimension as ScalableDimension,
    namespace: dimension.split(':')[0] as ServiceNamespace,
  };
}

/**
 * Capacity on the SDK. ecs_service: desired from ECS (DescribeServices/UpdateService desiredCount),
 * min/max from its Application Auto Scaling target (when none is registered, min = max = desired).
 * scalable_target: Application Auto Scaling only; it reports no current capacity, so `desired` is the
 * floor (MinCapacity) and setting `desired` raises or lowers that floor.
 */
export class SdkAutoScaling implements AutoScalingProvider {
  constructor(
    private readonly ecs: ECSClient,
    private readonly aas: ApplicationAutoScalingClient,
  ) {}

  async getCapacity(resource_type: ResourceType, resource_id: string): Promise<Capacity> {
    if (resource_type === 'ecs_service') {
      const desired = await this.ecsDesired(resource_id);
      const target = await this.describeTarget('ecs', resource_id, 'ecs:service:DesiredCount');
      return target ? { desired, ...target } : { desired, min: desired, max: desired };
    }
    const t = parseScalableTargetId(resource_id);
    const target = await this.describeTarget(t.namespace, t.resourceId, t.dimension);
    if (!target)
      throw new AwsProviderError(
        'autoscaling',
        'DescribeScalableTargets',
        'not_found',
        `no scalable target ${resource_id}`,
      );
    return { desired: target.min, ...target };
  }

  async setCapacity(
    resource_type: ResourceType,
    resource_id: string,
    capacity: Partial<Capacity>,
  ): Promise<Capacity> {
    const current = await this.getCapacity(resource_type, resource_id);
    if (resource_type === 'scalable_target') {
      const t = parseScalableTargetId(resource_id);
      const floor = capacity.desired ?? capacity.min;
      const next = mergeCapacity(resource_id, current, {
        ...capacity,
        ...(floor !== undefined ? { min: floor, desired: floor } : {}),
      });
      await this.register(t.namespace, t.resourceId, t.dimension, next);
      return next;
    }
    const next = mergeCapacity(resource_id, current, capacity);
    if (capacity.min !== undefined || capacity.max !== undefined) {
      await this.register('ecs', resource_id, 'ecs:service:DesiredCount', next);
    }
    if (next.desired !== current.desired) {
      const { cluster, service } = parseEcsResourceId(resource_id);
      await awsCall('ecs', 'UpdateService', (abortSignal) =>
        this.ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: next.desired }), {
          abortSignal,
        }),
      );
    }
    return next;
  }

  private async ecsDesired(resource_id: string): Promise<number> {
    const { cluster, service } = parseEcsResourceId(resource_id);
    const out = await awsCall('ecs', 'DescribeServices', (abortSignal) =>
      this.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal }),
    );
    const svc = out.services?.find((s) => s.serviceName === service) ?? out.services?.[0];
    if (!svc || svc.status === 'INACTIVE') {
      const reason = out.failures?.[0]?.reason ?? 'MISSING';
      throw new AwsProviderError(
        'ecs',
        'DescribeServices',
        'not_found',
        `service ${service} in ${cluster}: ${reason}`,
      );
    }
    return svc.desiredCount ?? 0;
  }

  private async describeTarget(
    namespace: ServiceNamespace,
    resourceId: string,
    dimension: ScalableDimension,
  ) {
    const out = await awsCall('autoscaling', 'DescribeScalableTargets', (abortSignal) =>
      this.aas.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: namespace,
          ResourceIds: [resourceId],
          ScalableDimension: dimension,
        }),
        { abortSignal },
      ),
    );
    const t = out.ScalableTargets?.[0];
    return t ? { min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 } : undefined;
  }

  private async register(
    namespace: ServiceNamespace,
    resourceId: string,
    dimension: ScalableDimension,
    c: Capacity,
  ): Promise<void> {
    await awsCall('autoscaling', 'RegisterScalableTarget', (abortSignal) =>
      this.aas.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: namespace,
          ResourceId: resourceId,
          ScalableDimension: dimension,
          MinCapacity: c.min,
          MaxCapacity: c.max,
        }),
        { abortSignal },
      ),
    );
  }
}
