import { approvalStates, failureStates, notifyTask } from './states';
import type { AslDefinition, WorkflowOptions } from './types';

/**
 * bdp-approval-workflow: the human-approval sub-workflow on its own, for an IncidentState with an
 * analysis. Approved → succeeds with `$.approval`; rejected → recorded; timeout → expired and
 * escalated. The main workflow carries the very same states inline (see main.ts for why).
 */
export function buildApprovalWorkflow(o: WorkflowOptions): AslDefinition {
  return {
    Comment: 'BDP Agent: wait for a person to approve or reject a remediation',
    StartAt: 'RequestApproval',
    States: {
      ...approvalStates(o, { approved: 'Approved', expired: 'Escalate', failed: 'NotifyFailed' }),
      Approved: { Type: 'Succeed' },
      Escalate: notifyTask(o, 'escalated', null, { catchTo: 'NotifyFailed' }),
      ...failureStates(o, 'NotifyFailed', 'ApprovalFailed'),
    },
  };
}
