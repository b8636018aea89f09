import * as z from 'zod';
import { ApprovalRequest, IncidentState, IncidentStatus } from '../../providers/domain';

/**
 * Item layout of the workflow_state table (PK `workflow_id` = incident id, SK `timestamp`).
 * Current-state items use fixed sort keys; history entries use ISO times so they sort by time.
 * Structured values are stored as JSON strings: DynamoDB rejects empty strings in keys and
 * `undefined` in maps, and a string round-trips exactly through the zod schemas.
 */
export const SK_STATE = 'STATE';
export const SK_APPROVAL = 'APPROVAL';
export const CHAT_PREFIX = 'CHAT#';
/** Reverse index of a chat message → incident, its own partition (`CHATREF#surface#channel#ts`). */
export const CHATREF_PREFIX = 'CHATREF#';
export const SK_CHATREF = 'REF';

export const WORKFLOW_TTL_DAYS = 30;
export const HISTORY_TTL_DAYS = 90;

/** Epoch seconds `days` after `now`: the table's TTL attribute (`expires_at`). */
export function ttlAfter(now: Date, days: number): number {
  return Math.floor(now.getTime() / 1000) + days * 86_400;
}

/** Which statuses still need a person or the workflow (shown by `/bdp status`). */
export const OPEN_STATUSES: ReadonlySet<IncidentStatus> = new Set<IncidentStatus>([
  'open',
  'analyzing',
  'awaiting_approval',
  'approved',
  'executing',
  'executed',
]);

/** What the store returns for an incident: its workflow state plus bookkeeping. */
export const WorkflowRecord = z.object({
  incident_id: z.string(),
  service: z.string(),
  status: IncidentStatus,
  state: IncidentState,
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  /** The pending/decided approval, without its task token (which never leaves the server). */
  approval: ApprovalRequest.omit({ task_token: true }).optional(),
  execution_arn: z.string().optional(),
});
export type WorkflowRecord = z.infer<typeof WorkflowRecord>;

/** One line of an incident's history (status changes, decisions, refused approvers). */
export const HistoryEntry = z.object({
  at: z.iso.datetime(),
  event: z.string(),
  actor: z.string().optional(),
  detail: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** The status an incident state implies when the caller does not say. */
export function deriveStatus(state: IncidentState): IncidentStatus {
  const r = state.remediation;
  if (r?.status === 'rolled_back') return 'rolled_back';
  if (state.verification) return state.verification.resolved ? 'resolved' : 'executed';
  if (r) {
    if (r.status === 'executed' || r.status === 'dry_run') return 'executed';
    if (r.status === 'failed') return 'failed';
    return 'escalated';
  }
  if (state.approval) {
    if (state.approval.status === 'pending') return 'awaiting_approval';
    return state.approval.status;
  }
  return state.analysis ? 'open' : 'analyzing';
}
