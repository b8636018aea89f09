import * as z from 'zod';

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
});
export type ServiceDefinition = z.infer<typeof ServiceDefinition>;

export const ServiceCatalog = z.array(ServiceDefinition).min(1);
export type ServiceCatalog = z.infer<typeof ServiceCatalog>;
