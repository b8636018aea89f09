// The CDK app of BDP Agent (entry: infra/app.ts, run by `npx cdk synth|deploy` through cdk.json).
// The workflow definitions themselves live in ./workflow (plain ASL, shared with the local runner).
export { LAMBDA_BUNDLE_OPTIONS, LOCAL_ONLY_MODULES, NODE_TARGET } from './bundling';
export { createBdpApp } from './create-app';
export { BdpFunctions, REPO_ROOT, resolveEntry } from './functions';
export { FUNCTION_SPECS, type FunctionKey, type FunctionSpec, functionSpec } from './functions-spec';
export { LLM_METRICS, PIPELINE_METRICS } from './metrics';
export { BdpMonitoring } from './monitoring';
export { remediationStatements, remediationTargets } from './remediation-access';
export { InfraContext, type InfraSettings, readSettings } from './settings';
export { BdpAgentStack, type BdpAgentStackProps } from './stack';
export { BdpStateMachines } from './state-machines';
export { BdpTables } from './tables';
