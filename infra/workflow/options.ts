import type { Config } from '../../providers/config';
import type { WorkflowOptions, WorkflowResources } from './types';

/** The workflow's numbers come from the same config the code's `route()` reads: one source of truth. */
export function workflowOptionsFromConfig(
  config: Pick<
    Config,
    | 'AUTO_EXECUTE_THRESHOLD'
    | 'APPROVAL_THRESHOLD'
    | 'APPROVAL_TIMEOUT_SECONDS'
    | 'VERIFY_WAIT_SECONDS'
    | 'MAX_REPLANS'
  >,
  resources: WorkflowResources,
): WorkflowOptions {
  return {
    resources,
    autoExecuteThreshold: config.AUTO_EXECUTE_THRESHOLD,
    approvalThreshold: config.APPROVAL_THRESHOLD,
    approvalTimeoutSeconds: config.APPROVAL_TIMEOUT_SECONDS,
    verifyWaitSeconds: config.VERIFY_WAIT_SECONDS,
    maxReplans: config.MAX_REPLANS,
  };
}
