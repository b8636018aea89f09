/** RDS parameter groups: describe/modify on the SDK (cluster first, instance fallback) and the mock. */
export {
  AURORA_POSTGRES_APPLY_TYPES,
  DEFAULT_DB_PARAMETERS,
  MockRdsParameters,
  type ParameterChange,
  type Reboot,
} from './mock';
export { SdkRdsParameters } from './real';
