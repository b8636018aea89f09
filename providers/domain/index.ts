// The one domain vocabulary: each shape is defined once here, as a zod schema with its type.
export * from './analysis';
export * from './anomaly';
export * from './incident';
export * from './notice';
export * from './remediation';
export * from './services';
