import { AwsProviderError, type Capacity } from '../types';

/**
 * The capacity a patch leads to, checked before anything is sent: min ≤ max and desired within
 * [min, max] (Application Auto Scaling would otherwise silently move desired back into range).
 */
export function mergeCapacity(resource_id: string, current: Capacity, patch: Partial<Capacity>): Capacity {
  const next: Capacity = {
    desired: patch.desired ?? current.desired,
    min: patch.min ?? current.min,
    max: patch.max ?? current.max,
  };
  const bad = (m: string) =>
    new AwsProviderError('autoscaling', 'SetCapacity', 'validation', `${resource_id}: ${m}`);
  for (const [k, v] of Object.entries(next)) {
    if (!Number.isInteger(v) || v < 0) throw bad(`${k} must be a non-negative integer, got ${v}`);
  }
  if (next.min > next.max) throw bad(`min ${next.min} exceeds max ${next.max}`);
  if (next.desired < next.min || next.desired > next.max)
    throw bad(`desired ${next.desired} is outside [${next.min}, ${next.max}]`);
  return next;
}
