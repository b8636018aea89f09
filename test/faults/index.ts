/**
 * Fault injection (`npm run faults`, jest: test/integration/faults):
 * - `FAULTS`: the catalogue — LLM timeout / 500 / malformed body / hallucinated action / out-of-policy
 *   parameters; throttling and AccessDenied on each remediation call; the DynamoDB claim race; Slack 429
 *   with Retry-After, 5xx, duplicate events, retried interactions; 100 concurrent approvals; an expired
 *   approval; a half-way remediation failure (rollback); a crash between executed and recorded;
 *   chat delivery (test/faults/delivery.ts): Slack 5xx past every retry, Teams refusing posts, a lost
 *   card ref, a notice lost before RequestApproval's retry, Detect retried after dedup, a static
 *   parameter that needs an approved reboot;
 * - `runFault(fault)` → `{injected, survived, data_lost, lost, double_actions, checks, detail}` (a harness
 *   crash counts as not survived); `npm run faults -- --json` prints `{faults: [...], summary}`;
 * - `faultRuntime`, `stateWithPlan`, `countCalls`: the runtime and fixtures the faults use.
 */
export { FAULTS, type Fault, type FaultOutcome, runFault } from './catalogue';
export { deliveryFaults } from './delivery';
export {
  countCalls,
  FAULT_NOW,
  type FaultRuntime,
  faultRuntime,
  MAX_CONNECTIONS_PLAN,
  RESTART_PLAN,
  stateWithPlan,
} from './harness';
