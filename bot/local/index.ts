// The local workspace behind `npm start` (issue 9): the whole product on embedded defaults.
// - startWorkspace(opts) → the mock AWS providers on a simulated clock, the simulated platform, the
//   main workflow (AWS definitions, local runner) on a schedule, the production Slack bot on a local
//   Slack Web API (./slack-api), and the workspace page (./web).
// - ./simulator: services, faults, scenarios; ./web: the page, its server and the Slack-shaped requests.
export { parseArgs, type StartOptions, UsageError, usage } from './args';
export { SimClock } from './clock';
export {
  FAULTS,
  type FaultId,
  PlatformSimulator,
  SCENARIOS,
  type SimulatorEvent,
} from './simulator';
export { findButton, type LocalUser, type RunningWebServer, startWebServer } from './web/server';
export * as slackRequests from './web/slack-requests';
export {
  LOCAL_CHANNEL,
  LOCAL_USERS,
  localConfig,
  startWorkspace,
  type Workspace,
  type WorkspaceOptions,
} from './workspace';
export { DEFAULT_SPEED, SCHEDULE_SECONDS } from './workspace-defaults';
