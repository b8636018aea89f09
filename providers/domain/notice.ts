import * as z from 'zod';
import { ChatRef, IncidentState } from './incident';

/**
 * What the workflow tells the chat surfaces. The pipeline emits notices; the bot renders them as
 * cards (new card, or an in-place update of the incident's card).
 */
export const NoticeKind = z.enum([
  'analyzed', // first card: analysis with its route (auto / approval / escalate)
  'approval_requested',
  'approved',
  'rejected',
  'expired',
  'executing',
  'executed',
  'resolved',
  'not_resolved', // verification failed; a replan follows
  'escalated',
  'failed',
  'rolled_back',
]);
export type NoticeKind = z.infer<typeof NoticeKind>;

export const IncidentNotice = z.object({
  kind: NoticeKind,
  at: z.iso.datetime(),
  state: IncidentState,
  /** Who acted (approver, rollback requester), when a person did. */
  actor: z.string().optional(),
  /** Extra human text (failure reason, rejection reason). */
  detail: z.string().max(3000).optional(),
  /** Where the card already is, when known. */
  chat_refs: z.array(ChatRef).default([]),
  /** Step Functions execution ARN, for the card's link. */
  execution_arn: z.string().optional(),
});
export type IncidentNotice = z.infer<typeof IncidentNotice>;
