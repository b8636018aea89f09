import * as z from 'zod';

const bounds = z
  .object({
    min: z.number(),
    max: z.number(),
    /** The new value may differ from the current one by at most this factor (either way). */
    max_change_ratio: z.number().positive().optional(),
  })
  .refine((b) => b.min <= b.max, 'min must not exceed max');

/** The remediation policy: which targets each action may touch and the bounds of each parameter. */
export const RemediationPolicy = z.object({
  version: z.literal(1),
  max_auto_actions_per_resource_per_hour: z.number().int().min(0),
  actions: z.object({
    lambda_restart: z.object({ allowed_functions: z.array(z.string().min(1)) }),
    rds_parameter: z.object({
      parameter_groups: z.array(z.string().min(1)),
      default_parameter_group: z.string().min(1),
      parameters: z.record(z.string(), bounds),
    }),
    auto_scaling: z.object({
      max_step: z.number().int().positive(),
      targets: z.array(
        z.object({
          resource_type: z.enum(['ecs_service', 'scalable_target']),
          resource_id: z.string().min(1),
          min_capacity: z.number().int().nonnegative(),
          max_capacity: z.number().int().positive(),
        }),
      ),
    }),
    eventbridge_event: z.object({
      source: z.string().min(1),
      allowed_event_types: z.array(z.string().min(1)),
    }),
  }),
});
export type RemediationPolicy = z.infer<typeof RemediationPolicy>;
