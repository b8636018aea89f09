/** RDS parameter groups: describe/modify on the SDK (cluster first, instance fallback) and the mock. */
export { DEFAULT_DB_PARAMETERS, MockRdsParameters, type ParameterChange } from './mock';
export { SdkRdsParameters } from './real';
