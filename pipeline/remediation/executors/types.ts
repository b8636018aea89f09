import type { ActionPlan, ActionType } from '../../../providers/domain';
import type { PolicyContext } from '../../../providers/policy';
import type { Runtime } from '../../../providers/runtime';

export type StateRecord = Record<string, unknown>;
export type PlanFor<A extends ActionType> = Extract<ActionPlan, { action: A }>;

/** What an executor knows about its target before acting. */
export interface Inspection {
  /** Recorded in history; what a rollback restores. */
  previous_state: StateRecord;
  /** Facts the policy's bounds need (current value / capacity). */
  policy_ctx: PolicyContext;
}

/**
 * One remediation action. `apply` and `rollback` go through `rt.aws.*` only; the caller has already
 * checked the policy (with `inspect`'s facts), the rate limit and the idempotency claim.
 */
export interface Executor<A extends ActionType> {
  action: A;
  /** PK of the history row: the thing acted on. */
  resourceId(rt: Runtime, plan: PlanFor<A>): string;
  inspect(rt: Runtime, plan: PlanFor<A>): Promise<Inspection>;
  /** What the target would look like afterwards (dry run) without touching it. */
  preview(rt: Runtime, plan: PlanFor<A>, before: Inspection): StateRecord;
  apply(rt: Runtime, plan: PlanFor<A>, before: Inspection): Promise<StateRecord>;
  /** Whether `rollback` can undo `apply` (an event that was published cannot be unpublished). */
  reversible: boolean;
  /** Restores `previous_state`; returns the state after restoring. */
  rollback(rt: Runtime, plan: PlanFor<A>, previous_state: StateRecord): Promise<StateRecord>;
  /** The plan a rollback amounts to, so the policy can be checked for it too; undefined = nothing to check. */
  rollbackPlan(rt: Runtime, plan: PlanFor<A>, previous_state: StateRecord): ActionPlan | undefined;
}
