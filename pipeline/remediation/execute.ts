import { type ActionPlan, type IncidentState, RemediationResult } from '../../providers/domain';
import { evaluatePlan, requiresApproval } from '../../providers/policy';
import { createLogger } from '../../providers/redact';
import type { Runtime } from '../../providers/runtime';
import { createRemediationHistoryStore } from '../state/remediation-history';
import { claimExecution, claimRateSlot, completeClaim } from './claims';
import { publishLifecycle } from './events';
import { type Executor, executorFor, type Inspection, type StateRecord } from './executors';
import { withRetry } from './retry';

const logger = createLogger('bdp-remediation');

export interface ExecuteInput {
  state: IncidentState;
  /** Idempotency key: the workflow execution and attempt that asked. */
  execution_key: string;
  dry_run: boolean;
  /** Who asked: "bdp-agent" for automatic runs, the approver's id otherwise. */
  executed_by?: string;
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Runs the analysis' plan with every guardrail, in this order: idempotency claim, policy and target
 * re-check (the plan may touch only the incident's own service's resources) with the target's
 * current state, an atomic rate-limit slot, then (unless dry run) the action. A
 * failure after acting restores the previous state. Every outcome is recorded in
 * remediation_history and announced on the event bus.
 */
export async function executePlan(rt: Runtime, input: ExecuteInput): Promise<RemediationResult> {
  const { state } = input;
  const incident_id = state.incident.incident_id;
  const proposed = state.analysis?.remediation_plan;
  if (!proposed || proposed.action === 'none')
    throw new Error(`remediate ${incident_id}: the analysis proposes no action`);
  // Whose resources the plan may touch: the incident's service in the catalog (none when unknown).
  const owner = {
    service_name: state.incident.service,
    service: rt.services.find((s) => s.name === state.incident.service),
  };
  const staticEval = evaluatePlan(proposed, rt.policy, owner);
  // Catalog defaults filled in (e.g. the service's own parameter group), never runbook/LLM text.
  const plan = staticEval.plan as ActionPlan;

  const claim = await claimExecution(rt, incident_id, input.execution_key);
  if (claim.kind === 'done') {
    logger.info('remediation already done for this execution; returning the recorded result', {
      incident_id,
    });
    return claim.result;
  }
  const executor = executorFor(plan.action) as Executor<ActionPlan['action']>;
  const resource_id = executor.resourceId(rt, plan as never);
  const base = {
    incident_id,
    execution_id: input.execution_key,
    resource_id,
    execution_time: rt.now().toISOString(),
    action: plan.action,
    parameters: plan.parameters as Record<string, unknown>,
    dry_run: input.dry_run,
    executed_by: input.executed_by ?? 'bdp-agent',
  };
  if (claim.kind === 'interrupted') {
    // We cannot know whether the first attempt acted (or is still acting): never act twice, hand
    // it to a person. The claim is not ours, so its result stays whatever the owner records.
    return finish(
      rt,
      state,
      { ...input, owns_claim: false },
      {
        ...base,
        status: 'failed',
        rollback_available: false,
        error: `an earlier attempt of ${input.execution_key} (claimed ${claim.claimed_at}) was interrupted before recording its result; not acting twice`,
      },
    );
  }

  const refuse = (rule: string, previous_state?: StateRecord) =>
    finish(rt, state, input, {
      ...base,
      status: 'refused',
      rollback_available: false,
      error: rule,
      previous_state,
    });

  if (!staticEval.allowed) return refuse(staticEval.reasons.join('; '));
  // Approval-only actions (a reboot means downtime) never run on confidence alone, whatever the thresholds.
  if (requiresApproval(plan, rt.policy) && state.approval?.status !== 'approved')
    return refuse(`${plan.action} runs only after a person approved it (policy approval_only_actions)`);

  let before: Inspection;
  try {
    before = await withRetry(`${plan.action}: reading ${resource_id}`, () =>
      executor.inspect(rt, plan as never),
    );
  } catch (e) {
    return finish(rt, state, input, { ...base, status: 'failed', rollback_available: false, error: msg(e) });
  }
  const verdict = evaluatePlan(plan, rt.policy, { ...before.policy_ctx, ...owner });
  if (!verdict.allowed) return refuse(verdict.reasons.join('; '), before.previous_state);
  // What the policy cannot check (e.g. a ratio against a formula) needs a person: never automatic.
  if (verdict.route_cap !== 'auto' && state.approval?.status !== 'approved')
    return refuse(
      `needs approval, not acting automatically: ${verdict.cap_reasons.join('; ')}`,
      before.previous_state,
    );

  if (!input.dry_run) {
    // Claimed before acting with a conditional write: concurrent incidents cannot overrun the limit.
    const slot = await claimRateSlot(
      rt,
      resource_id,
      rt.policy.max_auto_actions_per_resource_per_hour,
      `${incident_id}/${input.execution_key}`,
    );
    if (!slot.ok) return refuse(slot.reason, before.previous_state);
  }

  if (input.dry_run) {
    return finish(rt, state, input, {
      ...base,
      status: 'dry_run',
      rollback_available: false,
      previous_state: before.previous_state,
      new_state: executor.preview(rt, plan as never, before),
    });
  }

  try {
    // No retry around apply: a timeout may hide a change that happened. Inspect/rollback retry.
    const new_state = await executor.apply(rt, plan as never, before);
    return finish(rt, state, input, {
      ...base,
      status: 'executed',
      rollback_available: executor.reversible,
      previous_state: before.previous_state,
      new_state,
    });
  } catch (e) {
    let error = `${plan.action} on ${resource_id} failed: ${msg(e)}`;
    if (executor.reversible) {
      try {
        await withRetry(`${plan.action}: restoring ${resource_id}`, () =>
          executor.rollback(rt, plan as never, before.previous_state),
        );
        error += '; the previous state was restored';
      } catch (r) {
        error += `; restoring the previous state ALSO failed (${msg(r)}) — check ${resource_id} by hand`;
      }
    }
    return finish(rt, state, input, {
      ...base,
      status: 'failed',
      rollback_available: false,
      previous_state: before.previous_state,
      error,
    });
  }
}

async function finish(
  rt: Runtime,
  state: IncidentState,
  input: ExecuteInput & { owns_claim?: boolean },
  raw: RemediationResult,
): Promise<RemediationResult> {
  const parsed = RemediationResult.parse(raw);
  const incident_id = state.incident.incident_id;
  const recorded = await createRemediationHistoryStore(rt).record(parsed, state.incident.service);
  // The history row's key (a ULID, unique per resource) travels with the result: rollbacks find it by it.
  const result = { ...parsed, history_key: recorded.history_key };
  if (input.owns_claim !== false) await completeClaim(rt, incident_id, input.execution_key, result);
  const step = result.status === 'executed' || result.status === 'dry_run' ? 'executed' : 'failed';
  await publishLifecycle(rt, step, {
    incident_id,
    execution_id: result.execution_id,
    resource_id: result.resource_id,
    action: result.action,
    parameters: result.parameters,
    status: result.status,
    dry_run: result.dry_run,
    ...(result.error ? { error: result.error } : {}),
  });
  logger.info('remediation finished', {
    incident_id,
    action: result.action,
    resource_id: result.resource_id,
    status: result.status,
    error: result.error,
  });
  return result;
}
