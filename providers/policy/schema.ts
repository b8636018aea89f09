import * as z from 'zod';

const bounds = z
  .object({
    /** What the number counts, as the engine reads it (e.g. "connections", "kB", "ms"): shown to people. */
    unit: z.string().min(1).optional(),
    min: z.number().int(),
    max: z.number().int(),
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
    /** Reboots a cluster's writer so static parameters apply: downtime, so never automatic. */
    rds_reboot: z
      .object({
        clusters: z.array(
          z.object({
            cluster_id: z.string().min(1),
            /** The instances that may be rebooted (the writer must be one of them; IAM is scoped to them). */
            instance_ids: z.array(z.string().min(1)).min(1),
          }),
        ),
        /** Shown on the card and the approval request. */
        expected_downtime_seconds: z.number().int().positive(),
      })
      .optional(),
    /** Ends idle sessions through the RDS Data API, bounded per run, never protected users' sessions. */
    rds_terminate_idle_sessions: z
      .object({
        clusters: z.array(
          z.object({
            cluster_id: z.string().min(1),
            /** Data API target; unset = RDS_CLUSTER_ARN / RDS_SECRET_ARN / RDS_DATABASE. */
            resource_arn: z.string().min(1).optional(),
            secret_arn: z.string().min(1).optional(),
            database: z.string().min(1).optional(),
          }),
        ),
        min_idle_minutes: z.number().int().min(1),
        max_sessions_per_run: z.number().int().min(1).max(500),
        /** Database users whose sessions are never ended (besides superusers and our own user). */
        protected_users: z.array(z.string().min(1)).default([]),
        /** application_name prefixes never ended (the product's own connections). */
        protected_applications: z.array(z.string().min(1)).default([]),
      })
      .optional(),
  }),
  /** Actions that run only after a person approved them, whatever the confidence. */
  approval_only_actions: z.array(z.string().min(1)).default([]),
});
export type RemediationPolicy = z.infer<typeof RemediationPolicy>;
