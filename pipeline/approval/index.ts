// Human approval of a remediation: request (the paused workflow's task), decide (chat buttons,
// exactly once, fail closed), rollback, expire. The chat bots call createApprovalService(rt).
export { Approver, actorName, approversFor, isApprover } from './approver';
export {
  type ApprovalService,
  type ApprovalView,
  createApprovalService,
  DecideInput,
  type DecisionOutcome,
  type ExpireOutcome,
  REJECTED_ERROR,
  RollbackInput,
  type RollbackOutcome,
} from './service';
