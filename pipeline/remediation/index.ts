// Remediation with guardrails: four executors (dry run + rollback), the policy re-check, rate limit,
// idempotency claim, history and lifecycle events; verification of the signal afterwards.
export { claimExecution, completeClaim } from './claims';
export { EVENT_SOURCE, type LifecycleStep, publishLifecycle } from './events';
export { type ExecuteInput, executePlan } from './execute';
export { EXECUTORS, type Executor, executorFor } from './executors';
export { isTransient, withRetry } from './retry';
export { type RollbackResult, rollbackExecution } from './rollback';
export { type AnalysisCap, capAtAnalysis } from './route-cap';
export { verifySignal } from './verify';
