import * as z from 'zod';

const resourceName = z.string().min(1).max(256);

/** One Application Auto Scaling target, named the way the service API names it. */
export const ScalableTargetRef = z
  .object({
    /** e.g. "ecs" (the plan's resource_type "ecs_service" means this namespace). */
    service_namespace: z.string().min(1),
    /** e.g. "service/bdp-cluster/stream-consumer". */
    resource_id: resourceName,
    scalable_dimension: z.string().min(1).default('ecs:service:DesiredCount'),
  })
  .strict();
export type ScalableTargetRef = z.infer<typeof ScalableTargetRef>;

/**
 * What a service owns and a remediation may touch: a plan for an incident on this service may only
 * name these. Missing = owns none of that kind (fail closed). Ownership (team, channels, approvers,
 * on-call group) sits beside `resources` on the service, not inside it.
 */
export const ServiceResources = z
  .object({
    functions: z.array(resourceName).default([]),
    db_cluster: resourceName.optional(),
    parameter_group: resourceName.optional(),
    scalable_targets: z.array(ScalableTargetRef).default([]),
    /** The bus its lifecycle/ops events go to; a service without one may not be sent events. */
    event_bus: resourceName.optional(),
  })
  .strict();
export type ServiceResources = z.infer<typeof ServiceResources>;

/** What the platform runs and where its signals live: drives detection, `/bdp analyze`, and the simulator. */
export const ServiceDefinition = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/),
  kind: z.enum(['lambda', 'ecs', 'aurora', 'spark', 'glue', 'other']),
  description: z.string().default(''),
  metrics: z
    .array(
      z.object({
        namespace: z.string(),
        metric_name: z.string(),
        dimensions: z.record(z.string(), z.string()),
        stat: z.string().default('Average'),
        period_seconds: z.number().int().positive().default(60),
        /** How many recent periods must be outside the band. */
        periods: z.number().int().positive().default(3),
        band_width: z.number().positive().default(2),
      }),
    )
    .default([]),
  log_groups: z
    .array(z.object({ name: z.string(), filter_patterns: z.array(z.string()).min(1) }))
    .default([]),
  /** Minimum error/fatal rows in the window before the unified-log check fires. */
  min_errors: z.number().int().positive().default(5),
  /** The resources remediation may touch for this service's incidents. */
  resources: ServiceResources.default({ functions: [], scalable_targets: [] }),
});
export type ServiceDefinition = z.infer<typeof ServiceDefinition>;

export const ServiceCatalog = z.array(ServiceDefinition).min(1);
export type ServiceCatalog = z.infer<typeof ServiceCatalog>;
