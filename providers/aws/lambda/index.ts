/** Lambda: configuration read/update and async invoke on the SDK, and the registry mock. */
export { type Invocation, MockLambda } from './mock';
export { SdkLambda, toFunctionState } from './real';
