// Running the workflow locally: the same ASL JSON CDK deploys, executed by aws-local-stepfunctions
// with every task bound to the real handler (tests, the local workspace).
export { attachLocalWorkflows, type LocalStepFunctions, type LocalWorkflows } from './attach';
export {
  type BindOptions,
  bindPipelineTasks,
  LOCAL_APPROVAL_STATE_MACHINE_ARN,
  LOCAL_MAIN_STATE_MACHINE_ARN,
  LOCAL_TASK_RESOURCES,
  type TaskName,
} from './bindings';
export {
  type LocalExecutionResult,
  type LocalRunOptions,
  runLocalExecution,
  type TaskFn,
  type TokenBroker,
  type TokenOutcome,
} from './local-runner';
