import * as z from 'zod';
import { IncidentState, type IncidentStatus, NoticeKind } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { publishNotice } from '../notify/publish';
import { createWorkflowStore } from '../state/workflow-store';
import { CaughtError, describeCaught, lambdaEntry } from './common';

export const NotifyInput = z.object({
  kind: NoticeKind,
  state: IncidentState,
  detail: z.string().max(3000).optional(),
  /** A caught error ({Error, Cause}) whose text becomes the detail (failure and rejection paths). */
  error: CaughtError.optional(),
  execution_arn: z.string().optional(),
  /** Record the status only: someone already told the chat (e.g. the approval service on a rejection). */
  silent: z.boolean().default(false),
});
export type NotifyInput = z.input<typeof NotifyInput>;

const STATUS: Record<NoticeKind, IncidentStatus> = {
  analyzed: 'open',
  approval_requested: 'awaiting_approval',
  approved: 'approved',
  rejected: 'rejected',
  expired: 'expired',
  executing: 'executing',
  executed: 'executed',
  resolved: 'resolved',
  not_resolved: 'executed',
  escalated: 'escalated',
  failed: 'failed',
  rolled_back: 'rolled_back',
};

/** What the card says beyond the state when the caller gave no detail. */
function defaultDetail(input: z.output<typeof NotifyInput>): string | undefined {
  const s = input.state;
  if (input.kind === 'escalated') {
    if (s.approval?.status === 'expired') return 'Nobody decided on the approval in time.';
    if (s.remediation?.status === 'refused')
      return `The remediation was refused: ${s.remediation.error ?? ''}`;
    if (s.verification && !s.verification.resolved)
      return `The signal did not recover after ${s.replan_count + 1} attempts: ${s.verification.detail}`;
    if (s.analysis?.remediation_plan.action === 'none')
      return 'No remediation is proposed; a person should look.';
  }
  if (input.kind === 'resolved' || input.kind === 'not_resolved') return s.verification?.detail;
  if (input.kind === 'failed') return s.remediation?.error;
  if (input.kind === 'executed' && s.remediation?.dry_run) return 'Dry run: nothing was changed.';
  return undefined;
}

/** Records the incident's new status and tells the chat surfaces. Returns the state unchanged. */
export async function notify(rt: Runtime, raw: NotifyInput): Promise<IncidentState> {
  const input = NotifyInput.parse(raw);
  let state = input.state;
  if (input.kind === 'rejected' && input.error) {
    // The rejection arrives as SendTaskFailure: its cause carries who rejected and why.
    let cause: { decided_by?: string; reason?: string } = {};
    try {
      cause = JSON.parse(input.error.Cause ?? '{}');
    } catch {
      cause = {};
    }
    state = IncidentState.parse({
      ...state,
      approval: { status: 'rejected', decided_by: cause.decided_by, reason: cause.reason || undefined },
    });
  }
  const detail =
    input.detail ??
    (input.kind === 'rejected' ? undefined : describeCaught(input.error)) ??
    defaultDetail(input);
  await createWorkflowStore(rt).saveState(state, {
    status: STATUS[input.kind],
    execution_arn: input.execution_arn,
  });
  if (!input.silent)
    await publishNotice(rt, { kind: input.kind, state, detail, execution_arn: input.execution_arn });
  return state;
}

export const handler = lambdaEntry('notify', NotifyInput, notify);
