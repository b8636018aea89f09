import * as z from 'zod';

export const ActionType = z.enum([
  'lambda_restart',
  'rds_parameter',
  'auto_scaling',
  'eventbridge_event',
  'rds_reboot',
  'rds_terminate_idle_sessions',
]);
export type ActionType = z.infer<typeof ActionType>;

const name = z.string().min(1).max(256);

export const LambdaRestartParams = z.object({ function_name: name }).strict();
export const RdsParameterParams = z
  .object({
    parameter_name: z.string().regex(/^[a-z_][a-z0-9_.]*$/, 'a parameter name'),
    new_value: z.union([z.number(), z.string().max(256)]),
    /** The (cluster) parameter group; the policy names the allowed ones. */
    parameter_group: name.optional(),
  })
  .strict();
export const AutoScalingParams = z
  .object({
    resource_type: z.enum(['ecs_service', 'scalable_target']),
    /** e.g. "service/cluster-name/service-name". */
    resource_id: name,
    action: z.enum(['scale_out', 'scale_in', 'set_desired']),
    amount: z.number().int().min(0).max(1000),
  })
  .strict();
export const EventBridgeEventParams = z
  .object({
    event_type: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'an upper-case event type such as ALERT'),
    detail: z.record(z.string(), z.unknown()),
  })
  .strict();

/** Reboots the cluster's writer instance so static (pending-reboot) parameters take effect. Approval only. */
export const RdsRebootParams = z
  .object({
    /** The DB cluster; its writer instance is rebooted. */
    cluster_id: name,
    /** Why: e.g. "apply max_connections=200 (pending-reboot)". Shown on the card. */
    reason: z.string().max(300).optional(),
  })
  .strict();
/** Ends sessions idle (or idle in transaction) longer than idle_minutes through the RDS Data API. */
export const RdsTerminateIdleSessionsParams = z
  .object({
    cluster_id: name,
    idle_minutes: z.number().int().min(1).max(1440),
    /** At most this many sessions are ended in one run (the policy caps it further). */
    max_sessions: z.number().int().min(1).max(500),
  })
  .strict();

export const Risk = z.enum(['low', 'medium', 'high']);
export type Risk = z.infer<typeof Risk>;

const planCommon = {
  /** Why this action addresses the root cause. */
  rationale: z.string().max(1000).default(''),
  risk: Risk.default('medium'),
  /** The runbook that allows it. */
  runbook_id: z.string().optional(),
  /** What it touches and whose it is, from the service catalog (set when the plan is checked; for the card). */
  target: z.string().max(300).optional(),
};

/** One of the actions with typed parameters, or no action. */
export const RemediationPlan = z.discriminatedUnion('action', [
  z.object({ action: z.literal('lambda_restart'), parameters: LambdaRestartParams, ...planCommon }),
  z.object({ action: z.literal('rds_parameter'), parameters: RdsParameterParams, ...planCommon }),
  z.object({ action: z.literal('auto_scaling'), parameters: AutoScalingParams, ...planCommon }),
  z.object({ action: z.literal('eventbridge_event'), parameters: EventBridgeEventParams, ...planCommon }),
  z.object({ action: z.literal('rds_reboot'), parameters: RdsRebootParams, ...planCommon }),
  z.object({
    action: z.literal('rds_terminate_idle_sessions'),
    parameters: RdsTerminateIdleSessionsParams,
    ...planCommon,
  }),
  z.object({ action: z.literal('none'), parameters: z.object({}).strict().default({}), ...planCommon }),
]);
export type RemediationPlan = z.infer<typeof RemediationPlan>;
export type ActionPlan = Exclude<RemediationPlan, { action: 'none' }>;

export const RemediationStatus = z.enum(['executed', 'dry_run', 'refused', 'failed', 'rolled_back']);

export const RemediationResult = z.object({
  incident_id: z.string(),
  /** Idempotency key: the workflow execution (and attempt) that asked for it. */
  execution_id: z.string(),
  /** PK of bdp-remediation-history. */
  resource_id: z.string(),
  /** When it ran (ISO time; the time prefix of its history key). */
  execution_time: z.iso.datetime(),
  /** SK of bdp-remediation-history once recorded: a ULID (an ISO time on rows from before). */
  history_key: z.string().optional(),
  action: ActionType,
  parameters: z.record(z.string(), z.unknown()),
  dry_run: z.boolean(),
  status: RemediationStatus,
  previous_state: z.record(z.string(), z.unknown()).optional(),
  new_state: z.record(z.string(), z.unknown()).optional(),
  rollback_available: z.boolean(),
  /** The rule a refused plan broke, or what failed. */
  error: z.string().optional(),
  executed_by: z.string().default('bdp-agent'),
});
export type RemediationResult = z.infer<typeof RemediationResult>;

export const VerificationResult = z.object({
  incident_id: z.string(),
  resolved: z.boolean(),
  checked_at: z.iso.datetime(),
  detail: z.string(),
});
export type VerificationResult = z.infer<typeof VerificationResult>;
