// The simulated data platform behind `npm start`: services writing metrics and logs into the mock
// providers, faults on a schedule (scenarios), and recovery when the real remediation lands.
export {
  FAULTS,
  type FaultDefinition,
  type FaultId,
  type PlatformControls,
  SCENARIOS,
  type ScenarioDefinition,
} from './faults';
export {
  type ActiveFault,
  PlatformSimulator,
  type SimulatedPlatform,
  type SimulatorEvent,
  type SimulatorOptions,
} from './platform';
