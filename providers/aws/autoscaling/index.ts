/** Capacity of ECS services and scalable targets: ECS + Application Auto Scaling on the SDK, and the mock. */
export { mergeCapacity } from './capacity';
export { type CapacityChange, MockAutoScaling } from './mock';
export { parseEcsResourceId, parseScalableTargetId, SdkAutoScaling } from './real';
