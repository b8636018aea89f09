import { z } from 'zod';
import { Analysis } from './analysis';
import { Anomaly, Severity } from './anomaly';
import { RemediationPlan, RemediationResult, VerificationResult } from './remediation';

export const IncidentStatus = z.enum([
  'open',
  'analyzing',
  'awaiting_approval',
  'approved',
  'rejected',
  'expired',
  'executing',
  'executed',
  'resolved',
  'escalated',
  'failed',
  'rolled_back',
]);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** A deduplicated problem: one or more anomalies on one service, with what happened to it so far. */
export const Incident = z.object({
  incident_id: z.string().regex(/^inc-[0-9a-z-]{6,64}$/),
  signature: z.string(),
  service: z.string(),
  severity: Severity,
  title: z.string().max(300),
  anomalies: z.array(Anomaly).min(1),
  created_at: z.iso.datetime(),
  /** "schedule" or the chat user who asked (`/bdp analyze`). */
  trigger: z.string().default('schedule'),
});
export type Incident = z.infer<typeof Incident>;

/** A chat message that shows the incident (Slack ts / Teams activity id), so later states update it. */
export const ChatRef = z.object({
  surface: z.enum(['slack', 'teams', 'local']),
  channel: z.string(),
  message_id: z.string(),
});
export type ChatRef = z.infer<typeof ChatRef>;

export const ApprovalStatus = z.enum(['pending', 'approved', 'rejected', 'expired']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/** A paused workflow waiting for a person. The task token never leaves the server. */
export const ApprovalRequest = z.object({
  incident_id: z.string(),
  task_token: z.string().min(1),
  plan: RemediationPlan,
  status: ApprovalStatus,
  requested_at: z.iso.datetime(),
  expires_at: z.iso.datetime(),
  decided_by: z.string().optional(),
  decided_at: z.iso.datetime().optional(),
  reason: z.string().max(1000).optional(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

/** What flows through the Step Functions map iteration for one incident. */
export const IncidentState = z.object({
  incident: Incident,
  analysis: Analysis.optional(),
  /** Earlier attempts that did not fix the signal, given to the agent when it replans. */
  failed_attempts: z
    .array(
      z.object({
        plan: RemediationPlan,
        result: RemediationResult.optional(),
        verification: VerificationResult.optional(),
      }),
    )
    .default([]),
  replan_count: z.number().int().nonnegative().default(0),
  remediation: RemediationResult.optional(),
  verification: VerificationResult.optional(),
  approval: z
    .object({
      status: ApprovalStatus,
      decided_by: z.string().optional(),
      decided_at: z.iso.datetime().optional(),
      reason: z.string().optional(),
    })
    .optional(),
  execution_id: z.string().optional(),
});
export type IncidentState = z.infer<typeof IncidentState>;
