import * as z from 'zod';
import { AwsProviderError } from '../../providers/aws/types';
import {
  type ApprovalRequest,
  type ApprovalStatus,
  IncidentState,
  type IncidentStatus,
  type NoticeKind,
  type RemediationResult,
} from '../../providers/domain';
import { createLogger } from '../../providers/redact';
import type { Runtime } from '../../providers/runtime';
import { PIPELINE_METRIC, recordCount, secondsBetween } from '../metrics';
import { publishNotice } from '../notify/publish';
import { publishLifecycle } from '../remediation/events';
import { withRetry } from '../remediation/retry';
import type { rollbackExecution } from '../remediation/rollback';
import { createWorkflowStore, type WorkflowStore } from '../state/workflow-store';
import { Approver, actorName, isApprover } from './approver';
import '../../providers/aws/clients/sfn';

const logger = createLogger('bdp-approval');

/** The error name the workflow's RequestApproval Catch matches for a rejection. */
export const REJECTED_ERROR = 'ApprovalRejected';

/** An approval request as the chat surfaces see it: everything but the task token. */
export type ApprovalView = Omit<ApprovalRequest, 'task_token'>;

export const DecideInput = z.object({
  incident_id: z.string().min(1).max(100),
  decision: z.enum(['approve', 'reject']),
  user: Approver,
  reason: z.string().max(1000).optional(),
});
export type DecideInput = z.input<typeof DecideInput>;

export type DecisionOutcome =
  | { outcome: 'approved'; request: ApprovalView }
  | { outcome: 'rejected'; request: ApprovalView }
  | { outcome: 'not_approver'; incident_id: string }
  | {
      outcome: 'already_decided';
      status: Exclude<ApprovalStatus, 'pending'>;
      decided_by?: string;
      decided_at?: string;
      request: ApprovalView;
    }
  | { outcome: 'expired'; request: ApprovalView }
  | { outcome: 'not_found'; incident_id: string };

export const RollbackInput = z.object({ incident_id: z.string().min(1).max(100), user: Approver });
export type RollbackInput = z.input<typeof RollbackInput>;

export type RollbackOutcome =
  | { outcome: 'rolled_back'; result: RemediationResult }
  | { outcome: 'not_approver'; incident_id: string }
  | { outcome: 'not_found'; incident_id: string }
  /** Nothing to roll back: no executed action, already rolled back, or the action has no undo. */
  | { outcome: 'not_available'; incident_id: string; reason: string }
  | { outcome: 'failed'; incident_id: string; error: string };

export type ExpireOutcome =
  | { outcome: 'expired'; request: ApprovalView }
  | { outcome: 'already_decided'; status: Exclude<ApprovalStatus, 'pending'>; request: ApprovalView }
  | { outcome: 'not_found'; incident_id: string };

export interface ApprovalService {
  /** Records a pending request for the paused workflow (idempotent on the task token). */
  request(input: { state: IncidentState; task_token: string }): Promise<ApprovalRequest>;
  decide(input: DecideInput): Promise<DecisionOutcome>;
  rollback(input: RollbackInput): Promise<RollbackOutcome>;
  /** The workflow's timeout path: `pending → expired` (a decision that got there first stands). */
  expire(incident_id: string): Promise<ExpireOutcome>;
}

const view = (r: ApprovalRequest): ApprovalView => {
  const { task_token: _secret, ...rest } = r;
  return rest;
};

/** Step Functions says the token is gone: the task timed out or already completed. */
const tokenGone = (e: unknown) =>
  e instanceof AwsProviderError && (e.kind === 'not_found' || e.kind === 'validation');

/**
 * `rollback` undoes a remediation (pipeline/remediation/rollback.ts); given by the callers that offer
 * Rollback (the chat's bot services), so the request/expire handlers carry no remediation executors.
 */
export function createApprovalService(
  rt: Runtime,
  deps: { rollback?: typeof rollbackExecution } = {},
): ApprovalService {
  const store: WorkflowStore = createWorkflowStore(rt);

  async function notify(
    kind: NoticeKind,
    incident_id: string,
    status: IncidentStatus,
    patch: Partial<IncidentState>,
    actor?: string,
    detail?: string,
  ) {
    // The decision already stands; a chat or state-write hiccup must not undo or fail it.
    try {
      const state = await store.getState(incident_id);
      if (!state) return;
      const next = IncidentState.parse({ ...state, ...patch });
      await store.saveState(next, { status });
      await publishNotice(rt, { kind, state: next, actor, detail });
    } catch (e) {
      logger.error('notice after approval step failed', { incident_id, kind, error: (e as Error).message });
    }
  }

  async function audit(incident_id: string, event: string, user: Approver, detail?: string) {
    try {
      await store.addHistory(incident_id, {
        at: rt.now().toISOString(),
        event,
        actor: actorName(user),
        detail,
      });
    } catch (e) {
      logger.error('audit entry not written', { incident_id, event, error: (e as Error).message });
    }
  }

  function settled(r: ApprovalRequest): DecisionOutcome {
    if (r.status === 'expired') return { outcome: 'expired', request: view(r) };
    if (r.status === 'pending') return { outcome: 'expired', request: view(r) };
    return {
      outcome: 'already_decided',
      status: r.status,
      decided_by: r.decided_by,
      decided_at: r.decided_at,
      request: view(r),
    };
  }

  async function expire(incident_id: string): Promise<ExpireOutcome> {
    const t = await store.transitionApproval(incident_id, { status: 'expired' }, rt.now());
    if (t.ok) {
      await audit(incident_id, 'approval_expired', { surface: 'local', user_id: 'bdp-agent', groups: [] });
      return { outcome: 'expired', request: view(t.request) };
    }
    if (!t.current) return { outcome: 'not_found', incident_id };
    if (t.current.status === 'pending')
      throw new Error(`approval of ${incident_id}: could not mark it expired`);
    return { outcome: 'already_decided', status: t.current.status, request: view(t.current) };
  }

  return {
    async request({ state, task_token }) {
      const s = IncidentState.parse(state);
      if (!s.analysis)
        throw new Error(`request approval for ${s.incident.incident_id}: the state has no analysis`);
      if (!task_token) throw new Error(`request approval for ${s.incident.incident_id}: no task token`);
      const now = rt.now();
      const { created, request } = await store.putApproval({
        incident_id: s.incident.incident_id,
        task_token,
        plan: s.analysis.remediation_plan,
        status: 'pending',
        requested_at: now.toISOString(),
        expires_at: new Date(now.getTime() + rt.config.APPROVAL_TIMEOUT_SECONDS * 1000).toISOString(),
      });
      if (created) {
        const next = IncidentState.parse({ ...s, approval: { status: 'pending' } });
        await store.saveState(next, { status: 'awaiting_approval' });
        await publishLifecycle(rt, 'requested', {
          incident_id: s.incident.incident_id,
          action: request.plan.action,
          parameters: request.plan.parameters,
          expires_at: request.expires_at,
        });
        await publishNotice(rt, { kind: 'approval_requested', state: next });
      } else if (request.status === 'pending') {
        // A retry with the same token after the first attempt failed part-way (its notice may never
        // have gone out): save and send again. The card ledger keeps it to one card.
        const next = IncidentState.parse({ ...s, approval: { status: 'pending' } });
        await store.saveState(next, { status: 'awaiting_approval' });
        await publishNotice(rt, { kind: 'approval_requested', state: next });
      }
      return request;
    },

    async decide(raw) {
      const input = DecideInput.parse(raw);
      const user = input.user;
      const current = await store.getApproval(input.incident_id);
      // A non-approver gets one answer whether or not the incident exists (no existence probe);
      // the attempt is audited where there is an incident to audit it on, logged either way.
      if (!isApprover(rt.config, user)) {
        if (current)
          await audit(input.incident_id, 'unauthorized_decision', user, `tried to ${input.decision}`);
        logger.warn('decision refused: not an approver', {
          incident_id: input.incident_id,
          surface: user.surface,
          user_id: user.user_id,
        });
        return { outcome: 'not_approver', incident_id: input.incident_id };
      }
      if (!current) return { outcome: 'not_found', incident_id: input.incident_id };
      if (current.status !== 'pending') return settled(current);

      const status = input.decision === 'approve' ? 'approved' : 'rejected';
      const decision = { status, decided_by: user.user_id, reason: input.reason } as const;
      const t = await store.transitionApproval(input.incident_id, decision, rt.now());
      if (!t.ok) {
        if (!t.current) return { outcome: 'not_found', incident_id: input.incident_id };
        if (t.current.status === 'pending') {
          // Lost only to the clock: the request is past its expiry.
          await expire(input.incident_id);
          return { outcome: 'expired', request: view(t.current) };
        }
        return settled(t.current);
      }

      // We alone won the write: resume the workflow exactly once.
      const request = t.request;
      try {
        await withRetry(
          `Step Functions ${status === 'approved' ? 'SendTaskSuccess' : 'SendTaskFailure'}`,
          () =>
            status === 'approved'
              ? rt.aws.sfn.sendTaskSuccess(request.task_token, {
                  status,
                  decided_by: user.user_id,
                  decided_at: rt.now().toISOString(),
                  ...(input.reason ? { reason: input.reason } : {}),
                })
              : rt.aws.sfn.sendTaskFailure(
                  request.task_token,
                  REJECTED_ERROR,
                  JSON.stringify({ decided_by: user.user_id, reason: input.reason ?? '' }),
                ),
        );
      } catch (e) {
        if (tokenGone(e)) {
          // The workflow stopped waiting (timed out): the decision cannot take effect.
          await store.revertApproval(input.incident_id, decision);
          const x = await expire(input.incident_id);
          return x.outcome === 'expired' ? x : { outcome: 'expired', request: view(request) };
        }
        await store.revertApproval(input.incident_id, decision);
        throw new Error(
          `approval of ${input.incident_id}: the workflow could not be resumed (${(e as Error).message}); the decision was not recorded, try again`,
        );
      }

      await audit(input.incident_id, status, user, input.reason);
      const waited = secondsBetween(request.requested_at, rt.now());
      if (waited !== undefined) recordCount(rt, PIPELINE_METRIC.timeToApprovalSeconds, waited);
      await publishLifecycle(rt, status, {
        incident_id: input.incident_id,
        decided_by: user.user_id,
        action: request.plan.action,
        parameters: request.plan.parameters,
        ...(input.reason ? { reason: input.reason } : {}),
      });
      await notify(
        status,
        input.incident_id,
        status,
        {
          approval: {
            status,
            decided_by: user.user_id,
            decided_at: rt.now().toISOString(),
            reason: input.reason,
          },
        },
        user.display_name ?? user.user_id,
        input.reason,
      );
      return { outcome: status, request: view(request) };
    },

    async rollback(raw) {
      const input = RollbackInput.parse(raw);
      const user = input.user;
      const state = await store.getState(input.incident_id);
      if (!isApprover(rt.config, user)) {
        if (state) await audit(input.incident_id, 'unauthorized_rollback', user);
        return { outcome: 'not_approver', incident_id: input.incident_id };
      }
      if (!state) return { outcome: 'not_found', incident_id: input.incident_id };
      const done = state.remediation;
      if (done?.status !== 'executed' || done.dry_run)
        return {
          outcome: 'not_available',
          incident_id: input.incident_id,
          reason: 'no executed action to roll back',
        };
      if (!done.rollback_available)
        return {
          outcome: 'not_available',
          incident_id: input.incident_id,
          reason: `${done.action} cannot be rolled back`,
        };
      if (!deps.rollback) throw new Error('rollback is not wired into this entry point');
      const r = await deps.rollback(rt, {
        resource_id: done.resource_id,
        // The row's key; results recorded before ULID keys have only their time (which was the key).
        execution_time: done.history_key ?? done.execution_time,
        actor: user.user_id,
      });
      if (r.outcome !== 'rolled_back') {
        await audit(input.incident_id, 'rollback_refused', user, r.reason);
        return r.outcome === 'not_available'
          ? { outcome: 'not_available', incident_id: input.incident_id, reason: r.reason }
          : { outcome: 'failed', incident_id: input.incident_id, error: r.reason };
      }
      await audit(input.incident_id, 'rolled_back', user);
      await notify(
        'rolled_back',
        input.incident_id,
        'rolled_back',
        { remediation: r.result },
        user.display_name ?? user.user_id,
        `${done.action} on ${done.resource_id} restored to its previous state`,
      );
      return { outcome: 'rolled_back', result: r.result };
    },

    expire,
  };
}
