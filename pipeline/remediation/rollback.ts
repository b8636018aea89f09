import { RemediationResult } from '../../providers/domain';
import { evaluatePlan } from '../../providers/policy';
import type { Runtime } from '../../providers/runtime';
import { createRemediationHistoryStore, historyId } from '../state/remediation-history';
import { publishLifecycle } from './events';
import { type Executor, executorFor, type PlanFor } from './executors';
import { withRetry } from './retry';

export type RollbackResult =
  | { outcome: 'rolled_back'; result: RemediationResult }
  | { outcome: 'not_available' | 'failed'; reason: string };

/** Does the target still look the way this remediation left it? Compares the fields it recorded. */
function unchangedSince(applied: Record<string, unknown>, now: Record<string, unknown>): boolean {
  return Object.keys(applied).every(
    (k) => !(k in now) || JSON.stringify(applied[k]) === JSON.stringify(now[k]),
  );
}

/** Who changed the resource after `since`: the newest executed/rolled-back history row, described. */
async function changedBy(
  history: ReturnType<typeof createRemediationHistoryStore>,
  resource_id: string,
  since: string,
): Promise<string> {
  const rows = await history.listForResourceSince(resource_id, since);
  const last = rows
    .filter((r) => r.execution_time > since && (r.status === 'executed' || r.status === 'rolled_back'))
    .sort((a, b) => b.execution_time.localeCompare(a.execution_time))[0];
  if (!last) return 'changed outside BDP Agent (no later remediation in history)';
  return `changed by incident ${last.incident_id} (${last.status} by ${last.executed_by} at ${last.execution_time})`;
}

/**
 * Restores the state a history row recorded, exactly once (a conditional claim on the row), only
 * if the target still holds what this remediation set (compare-and-swap: a later change by another
 * incident or a person is never undone), and only if the restore itself is inside the policy —
 * ratio included, against the current value. The rollback is a history row of its own.
 */
export async function rollbackExecution(
  rt: Runtime,
  /** `execution_time`: the row's history key (or, for rows from before ULID keys, its time). */
  input: { resource_id: string; execution_time: string; actor: string },
): Promise<RollbackResult> {
  const history = createRemediationHistoryStore(rt);
  const row = await history.get(input.resource_id, input.execution_time);
  const id = historyId(input.resource_id, row?.history_key ?? input.execution_time);
  if (!row) return { outcome: 'not_available', reason: `no remediation ${id} in history` };
  if (row.status !== 'executed' || row.dry_run)
    return { outcome: 'not_available', reason: `remediation ${id} was ${row.status}, nothing to roll back` };
  if (!row.rollback_available || !row.previous_state)
    return { outcome: 'not_available', reason: `remediation ${id} is already rolled back or cannot be` };

  const executor = executorFor(row.action) as Executor<typeof row.action>;
  const plan = { action: row.action, parameters: row.parameters, rationale: '', risk: 'medium' } as PlanFor<
    typeof row.action
  >;
  let now: Awaited<ReturnType<typeof executor.inspect>>;
  try {
    now = await withRetry(`${row.action}: reading ${row.resource_id}`, () =>
      executor.inspect(rt, plan as never),
    );
  } catch (e) {
    return {
      outcome: 'failed',
      reason: `rollback of ${id}: cannot read ${row.resource_id} (${(e as Error).message})`,
    };
  }
  if (row.new_state && !unchangedSince(row.new_state, now.previous_state)) {
    const who = await changedBy(history, row.resource_id, row.execution_time);
    return {
      outcome: 'not_available',
      reason: `not rolling back ${id}: ${row.resource_id} no longer holds what incident ${row.incident_id} set (now ${JSON.stringify(now.previous_state).slice(0, 300)}); ${who}`,
    };
  }
  const restorePlan = executor.rollbackPlan(rt, plan as never, row.previous_state);
  if (restorePlan) {
    // A rollback is always a person's request, so a cap at approval does not stop it; a refusal does.
    const v = evaluatePlan(restorePlan, rt.policy, { ...now.policy_ctx, restoring: true });
    if (!v.allowed)
      return {
        outcome: 'not_available',
        reason: `the rollback is outside the policy: ${v.reasons.join('; ')}`,
      };
  }
  if (!(await history.claimRollback(row.resource_id, row.history_key, input.actor)))
    return { outcome: 'not_available', reason: `remediation ${id} is already being rolled back or was` };

  let restored: Record<string, unknown>;
  let before: Record<string, unknown> | undefined;
  try {
    before = row.new_state;
    restored = await withRetry(`${row.action}: rolling back ${row.resource_id}`, () =>
      executor.rollback(rt, plan as never, row.previous_state ?? {}),
    );
  } catch (e) {
    await history.releaseRollback(row.resource_id, row.history_key);
    const reason = `rollback of ${id} failed: ${(e as Error).message}`;
    await publishLifecycle(rt, 'failed', {
      incident_id: row.incident_id,
      resource_id: row.resource_id,
      error: reason,
    });
    return { outcome: 'failed', reason };
  }
  const result = RemediationResult.parse({
    incident_id: row.incident_id,
    execution_id: `rollback:${id}`,
    resource_id: row.resource_id,
    execution_time: rt.now().toISOString(),
    action: row.action,
    parameters: { ...row.parameters, rollback_of: id },
    dry_run: false,
    status: 'rolled_back',
    previous_state: before,
    new_state: restored,
    rollback_available: false,
    executed_by: input.actor,
  });
  const recorded = await history.record(result, row.service);
  result.history_key = recorded.history_key;
  await publishLifecycle(rt, 'rolled_back', {
    incident_id: row.incident_id,
    resource_id: row.resource_id,
    action: row.action,
    rollback_of: id,
    restored,
    by: input.actor,
  });
  return { outcome: 'rolled_back', result };
}
