import { z } from 'zod';
import { IncidentNotice } from '../../providers/domain';

/** A workflow notice to render on every registered chat surface (new card or in-place update). */
export const NoticeJob = z.object({ type: z.literal('notice'), notice: IncidentNotice });

/**
 * Long work a chat surface handed off after acking: its `data` is validated by that surface's own
 * schema (a Slack thread is not a Teams conversation), the envelope here only routes it.
 */
export const SurfaceJob = z.object({
  type: z.enum(['followup', 'analyze', 'rollback']),
  surface: z.enum(['slack', 'teams', 'local']),
  data: z.record(z.string(), z.unknown()),
});

export const Job = z.discriminatedUnion('type', [NoticeJob, SurfaceJob]);
export type Job = z.infer<typeof Job>;
export type NoticeJob = z.infer<typeof NoticeJob>;
export type SurfaceJob = z.infer<typeof SurfaceJob>;

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
