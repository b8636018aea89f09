// The local workspace behind `npm start` (issue 9): the whole product on embedded defaults.
// - startWorkspace(opts) → the mock AWS providers on a simulated clock, the simulated platform, the
//   main workflow (AWS definitions, local runner) on a schedule, the production Slack bot on a local
//   Slack Web API (./slack-api), and the workspace page (./web).
// - `surface: 'teams'`: the production Teams bot (bot/teams) and the Microsoft 365 Agents Playground
//   (./teams-playground, a child process) instead of Slack and the page.
// - ./simulator: services, faults, scenarios; ./web: the page, its server and the Slack-shaped requests.
export { parseArgs, type StartOptions, SURFACES, type Surface, UsageError, usage } from './args';
export { SimClock } from './clock';
export {
  FAULTS,
  type FaultId,
  PlatformSimulator,
  SCENARIOS,
  type SimulatorEvent,
} from './simulator';
export {
  freePort,
  PLAYGROUND_CLI,
  PLAYGROUND_DEFAULT_PORT,
  type RunningPlayground,
  startPlayground,
} from './teams-playground';
export { findButton, type LocalUser, type RunningWebServer, startWebServer } from './web/server';
export * as slackRequests from './web/slack-requests';
export {
  LOCAL_CHANNEL,
  LOCAL_USERS,
  localConfig,
  localTeamsConfig,
  PLAYGROUND_USER_AAD,
  startWorkspace,
  type Workspace,
  type WorkspaceOptions,
} from './workspace';
export { DEFAULT_SPEED, SCHEDULE_SECONDS } from './workspace-defaults';
