/** Step Functions: start executions and task tokens on the SDK, and the mock with onStartExecution/waitForToken. */
export { type MockExecution, MockStepFunctions, type TaskOutcome } from './mock';
export { SdkStepFunctions } from './real';
