// Where the workflow keeps what it knows: current incident state, approvals, chat refs (workflow_state)
// and what remediation did (remediation_history). The bot reads both through these stores.
export {
  deriveStatus,
  HistoryEntry,
  OPEN_STATUSES,
  ttlAfter,
  WorkflowRecord,
} from './items';
export {
  createRemediationHistoryStore,
  type HistoryRecord,
  historyId,
  parseHistoryId,
  type RemediationHistoryStore,
} from './remediation-history';
export {
  type ApprovalDecision,
  createWorkflowStore,
  type TransitionResult,
  type WorkflowStore,
} from './workflow-store';
