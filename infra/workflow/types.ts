/** A Step Functions definition as plain JSON (Amazon States Language). */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type AslState = { [k: string]: Json };
export interface AslDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [k: string]: Json | undefined;
}

/**
 * The Lambda each task calls: function ARNs in AWS (CDK passes tokens), names bound to local
 * handlers by the local runner. One entry file per Lambda (pipeline/handlers/<name>.ts).
 */
export interface WorkflowResources {
  detect: string;
  analyze: string;
  notify: string;
  requestApproval: string;
  expireApproval: string;
  remediate: string;
  verify: string;
}

export interface WorkflowOptions {
  resources: WorkflowResources;
  /** Confidence at or above which the plan runs automatically (config AUTO_EXECUTE_THRESHOLD). */
  autoExecuteThreshold: number;
  /** Confidence at or above which a person is asked (config APPROVAL_THRESHOLD). */
  approvalThreshold: number;
  approvalTimeoutSeconds: number;
  verifyWaitSeconds: number;
  maxReplans: number;
  /** Incidents analysed in parallel per run. */
  maxConcurrency?: number;
  /** Per-task timeout (the approval task uses approvalTimeoutSeconds). */
  taskTimeoutSeconds?: number;
}
