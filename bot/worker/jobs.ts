import * as z from 'zod';
import { IncidentNotice } from '../../providers/domain';

/** A workflow notice to render on every registered chat surface (new card or in-place update). */
export const NoticeJob = z.object({ type: z.literal('notice'), notice: IncidentNotice });

/**
 * Long work a chat surface handed off after acking: its `data` is validated by that surface's own
 * schema (a Slack thread is not a Teams conversation), the envelope here only routes it.
 */
export const SurfaceJob = z.object({
  type: z.enum(['thread', 'followup', 'analyze', 'command', 'reject_form', 'decide', 'rollback']),
  surface: z.enum(['slack', 'teams', 'local']),
  data: z.record(z.string(), z.unknown()),
  /** Hash of the signed request that made the job: claimed once before acting (a replay is dropped). */
  replay_key: z.string().max(80).optional(),
});

export const Job = z.discriminatedUnion('type', [NoticeJob, SurfaceJob]);
export type Job = z.infer<typeof Job>;
export type NoticeJob = z.infer<typeof NoticeJob>;
export type SurfaceJob = z.infer<typeof SurfaceJob>;

/**
 * The three worker functions, each with only the permissions its jobs need: `cards` posts notices and
 * answers commands (no LLM, no remediation), `followup` runs the agent on thread questions (read-only),
 * `actions` decides approvals and rolls back (SendTask*, remediation writes; no LLM key, no telemetry).
 */
export const WORKER_ROLES = ['cards', 'followup', 'actions'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

const ROLE_OF: Record<Job['type'], WorkerRole> = {
  notice: 'cards',
  analyze: 'cards',
  command: 'cards',
  reject_form: 'cards',
  thread: 'cards',
  followup: 'followup',
  decide: 'actions',
  rollback: 'actions',
};

/** Which worker function runs a job. */
export function roleOf(job: Job): WorkerRole {
  return ROLE_OF[job.type];
}

/** A short label for logs: never the job's text (questions and notices can hold log excerpts). */
export function describeJob(job: Job): string {
  if (job.type === 'notice') return `notice ${job.notice.kind} ${job.notice.state.incident.incident_id}`;
  const id = typeof job.data.incident_id === 'string' ? ` ${job.data.incident_id}` : '';
  return `${job.surface} ${job.type}${id}`;
}

/** Jobs that touch the same incident run in order locally (first notice posts the card, later ones update it). */
export function jobKey(job: Job): string | undefined {
  if (job.type === 'notice') return job.notice.state.incident.incident_id;
  return typeof job.data.incident_id === 'string' ? job.data.incident_id : undefined;
}
