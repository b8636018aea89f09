// The Step Functions definitions as plain ASL JSON (no aws-cdk-lib): CDK deploys these and the local
// runner executes the very same objects.
export { buildApprovalWorkflow } from './approval';
export { buildMainWorkflow } from './main';
export { workflowOptionsFromConfig } from './options';
export { APPROVAL_REJECTED_ERROR, TRANSIENT_ERRORS } from './states';
export type { AslDefinition, AslState, Json, WorkflowOptions, WorkflowResources } from './types';
