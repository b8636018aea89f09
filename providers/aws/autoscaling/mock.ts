import { FaultInjector } from '../shared/faults';
import { type AutoScalingProvider, AwsProviderError, type Capacity } from '../types';
import { mergeCapacity } from './capacity';

type ResourceType = 'ecs_service' | 'scalable_target';

export interface CapacityChange {
  resource_type: ResourceType;
  resource_id: string;
  before: Capacity;
  after: Capacity;
  at: Date;
}

/** In-memory ECS services / scalable targets with their capacity, and a record of every change. */
export class MockAutoScaling implements AutoScalingProvider {
  readonly faults = new FaultInjector('autoscaling');
  readonly changes: CapacityChange[] = [];
  private readonly targets = new Map<string, Capacity>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  failNext(operation: 'GetCapacity' | 'SetCapacity', kind: AwsProviderError['kind'], n = 1): void {
    this.faults.failNext(operation, kind, n);
  }

  addTarget(resource_type: ResourceType, resource_id: string, capacity: Capacity): void {
    this.targets.set(`${resource_type} ${resource_id}`, { ...capacity });
  }

  async getCapacity(resource_type: ResourceType, resource_id: string): Promise<Capacity> {
    this.faults.check('GetCapacity');
    return { ...this.find(resource_type, resource_id, 'GetCapacity') };
  }

  async setCapacity(
    resource_type: ResourceType,
    resource_id: string,
    capacity: Partial<Capacity>,
  ): Promise<Capacity> {
    this.faults.check('SetCapacity');
    const before = this.find(resource_type, resource_id, 'SetCapacity');
    const after = mergeCapacity(resource_id, before, capacity);
    this.targets.set(`${resource_type} ${resource_id}`, after);
    this.changes.push({
      resource_type,
      resource_id,
      before: { ...before },
      after: { ...after },
      at: this.now(),
    });
    return { ...after };
  }

  private find(resource_type: ResourceType, resource_id: string, operation: string): Capacity {
    const c = this.targets.get(`${resource_type} ${resource_id}`);
    if (!c)
      throw new AwsProviderError(
        'autoscaling',
        operation,
        'not_found',
        `${resource_type} ${resource_id} does not exist`,
      );
    return c;
  }
}
