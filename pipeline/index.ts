// The workflow's steps and what they share. Each step is a Lambda entry in pipeline/handlers/<name>.ts
// (detect, analyze, notify, request-approval, expire-approval, remediate, verify). The bot reaches the
// pipeline through these modules, never the other way round (see notify/).
// The local runner (pipeline/workflow) is not re-exported here: it needs aws-local-stepfunctions, a
// dev dependency that must stay out of Lambda bundles. Import it from './workflow' directly.
export * as approval from './approval';
export * as notify from './notify';
export * as remediation from './remediation';
export * as state from './state';
