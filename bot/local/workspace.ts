import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { answerFollowUp } from '../../agent';
import { buildApprovalWorkflow, buildMainWorkflow, workflowOptionsFromConfig } from '../../infra/workflow';
import { setChatNotifier, sweepChatOutbox } from '../../pipeline/notify';
import {
  attachLocalWorkflows,
  bindPipelineTasks,
  LOCAL_APPROVAL_STATE_MACHINE_ARN,
  LOCAL_MAIN_STATE_MACHINE_ARN,
  LOCAL_TASK_RESOURCES,
  type LocalWorkflows,
} from '../../pipeline/workflow';
import { createMockAwsProviders, type MockAwsProviders } from '../../providers/aws';
import { type Config, loadConfig } from '../../providers/config';
import { createRuntime, type Runtime, setRuntime } from '../../providers/runtime';
import { createBotServices } from '../core';
import { startSlackServer } from '../slack/server';
import { type RunningTeamsServer, startTeamsServer } from '../teams/server';
import { JobDispatcher } from '../worker/dispatcher';
import { InProcessJobQueue } from '../worker/queue';
import type { Surface } from './args';
import { SimClock } from './clock';
import { PlatformSimulator, SCENARIOS, type SimulatorEvent } from './simulator';
import { LocalSlackApi } from './slack-api';
import { PLAYGROUND_DEFAULT_PORT, type RunningPlayground, startPlayground } from './teams-playground';
import { type LocalUser, startWebServer } from './web/server';
import { DEFAULT_SPEED, SCHEDULE_SECONDS } from './workspace-defaults';

/** The people of the local workspace: one who may approve (SLACK_APPROVERS by default), one who may not. */
export const LOCAL_USERS: LocalUser[] = [
  { id: 'U0APPROVER', name: 'ana', role: 'Ana (on-call, approver)' },
  { id: 'U0VIEWER', name: 'ben', role: 'Ben (developer, not an approver)' },
];
export const LOCAL_CHANNEL = { id: 'C0INCIDENTS', name: 'incidents' };
/** The on-call user group escalations mention (SLACK_ONCALL_GROUP by default). */
export const LOCAL_ONCALL_GROUP = { id: 'S0ONCALL', handle: 'oncall-data-platform' };
/** The Agents Playground's signed-in user (Alex Wilber): the Teams approver unless TEAMS_APPROVERS says otherwise. */
export const PLAYGROUND_USER_AAD = '00000000-0000-0000-0000-0000000000020';
/**
 * The Agents Playground's tenant (it sends `channelId` msteams and this tenant id on every activity):
 * the tenant whose users may decide locally unless TEAMS_TENANT_ID says otherwise. Only in this local
 * config, whose app credentials are empty (unauthenticated, 127.0.0.1 only).
 */
export const PLAYGROUND_TENANT_ID = '00000000-0000-0000-0000-0000000000001';

/**
 * Local defaults that make simulated time readable: a 5-minute detection window (verification then
 * sees a fixed fault's errors gone within one wait) and a verify wait of 6 simulated minutes. An
 * explicit environment value still wins.
 */
const LOCAL_DEFAULTS: Record<string, string> = {
  DETECTION_WINDOW_MINUTES: '5',
  VERIFY_WAIT_SECONDS: '360',
};

export interface WorkspaceOptions {
  scenario?: string;
  speed?: number;
  /** 0 picks a free port. */
  port?: number;
  env?: Record<string, string | undefined>;
  /** Called for what the simulator does (faults starting, fixed, cleared). */
  onSimulatorEvent?: (e: SimulatorEvent) => void;
  /**
   * Called as soon as people can work (before the platform has started), with the URL: the Slack page,
   * or with --surface teams the Agents Playground (the bot's endpoint without it).
   */
  onPageReady?: (url: string) => void;
  /** slack (default): the local Slack workspace page; teams: the Teams bot (+ the Agents Playground). */
  surface?: Surface;
  /** Teams only: start the Agents Playground as a child process (default true). */
  playground?: boolean;
  /** This instance's log file, shown on the page's local console note. */
  logFile?: string;
}

export interface Workspace {
  /** The Slack page, the Agents Playground, or (Teams without the Playground) the bot's endpoint. */
  url: string;
  surface: Surface;
  config: Config;
  rt: Runtime;
  aws: MockAwsProviders;
  clock: SimClock;
  /** Slack only. */
  slackApi?: LocalSlackApi;
  /** Teams only: the bot's server (its conversation store says where cards go). */
  teams?: RunningTeamsServer;
  /** Teams only, unless `playground: false`. */
  playground?: RunningPlayground;
  simulator: PlatformSimulator;
  workflows: LocalWorkflows;
  users: LocalUser[];
  /** Starts one scheduled run now (the timer does this every SCHEDULE_SECONDS simulated). */
  runSchedule(): Promise<{ execution_arn: string }>;
  stop(): Promise<void>;
}

/**
 * Validates the environment for the local workspace: the user's env over local defaults, with the
 * parts that must be local forced (mock AWS, the local Slack API, this run's secrets).
 */
export function localConfig(
  env: Record<string, string | undefined>,
  local: { signing_secret: string; bot_token: string; slack_api_url: string; port: number },
): Config {
  return loadConfig({
    ...LOCAL_DEFAULTS,
    ...env,
    AWS_MOCK: 'true',
    SLACK_SECRET_ARN: '',
    SLACK_SIGNING_SECRET: local.signing_secret,
    SLACK_BOT_TOKEN: local.bot_token,
    SLACK_API_URL: local.slack_api_url,
    SLACK_CHANNEL_ID: LOCAL_CHANNEL.id,
    SLACK_APPROVERS: env.SLACK_APPROVERS || LOCAL_USERS[0]!.id,
    SLACK_ONCALL_GROUP: env.SLACK_ONCALL_GROUP || LOCAL_ONCALL_GROUP.id,
    // No AWS account locally: card links open the page's local console note (the page fixes the port).
    CONSOLE_BASE_URL: env.CONSOLE_BASE_URL || `http://127.0.0.1:${local.port || 3000}/console/`,
    MAIN_STATE_MACHINE_ARN: LOCAL_MAIN_STATE_MACHINE_ARN,
    BOT_WORKER_FUNCTION_NAME: '',
    PORT: String(local.port || 3000),
  });
}

/**
 * The environment for `--surface teams`: the user's env over local defaults, mock AWS, no Slack, and
 * empty Teams app credentials (the bot is local and unauthenticated, on 127.0.0.1 only).
 */
export function localTeamsConfig(env: Record<string, string | undefined>, local: { port: number }): Config {
  return loadConfig({
    ...LOCAL_DEFAULTS,
    ...env,
    AWS_MOCK: 'true',
    SLACK_SECRET_ARN: '',
    SLACK_SIGNING_SECRET: '',
    SLACK_BOT_TOKEN: '',
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    MicrosoftAppTenantId: '',
    MicrosoftAppType: '',
    TEAMS_SECRET_ARN: '',
    TEAMS_APPROVERS: env.TEAMS_APPROVERS || PLAYGROUND_USER_AAD,
    TEAMS_TENANT_ID: env.TEAMS_TENANT_ID || PLAYGROUND_TENANT_ID,
    MAIN_STATE_MACHINE_ARN: LOCAL_MAIN_STATE_MACHINE_ARN,
    BOT_WORKER_FUNCTION_NAME: '',
    PORT: String(local.port || 3978),
  });
}

/**
 * Starts the whole product locally: the mock AWS providers on a simulated clock, the simulated
 * platform, the main workflow on its AWS definition every SCHEDULE_SECONDS, the production Slack bot
 * talking to a local Slack Web API, and the workspace page. Nothing leaves 127.0.0.1.
 * With `surface: 'teams'` the production Teams bot and the Agents Playground replace Slack and the page;
 * the platform's clock and schedule then wait until a conversation is known (the Playground's chat
 * opened), so the first fault's card has somewhere to go.
 */
export async function startWorkspace(opts: WorkspaceOptions = {}): Promise<Workspace> {
  const env = opts.env ?? process.env;
  const speed = opts.speed ?? DEFAULT_SPEED;
  const scenarioName = opts.scenario ?? 'default';
  const scenario = SCENARIOS[scenarioName];
  if (!scenario)
    throw new Error(`unknown scenario "${scenarioName}" (one of ${Object.keys(SCENARIOS).join(', ')})`);
  const surface: Surface = opts.surface ?? 'slack';
  // Fresh per run and never printed: the page's server signs with the secret, the bot checks it.
  const signing_secret = randomBytes(24).toString('hex');
  const bot_token = `xoxb-local-${randomBytes(16).toString('hex')}`;
  // Validate the environment before anything starts listening.
  if (surface === 'teams') localTeamsConfig(env, { port: opts.port ?? 3978 });
  else
    localConfig(env, {
      signing_secret,
      bot_token,
      slack_api_url: 'http://127.0.0.1/api/',
      port: opts.port ?? 3000,
    });

  const cleanups: (() => Promise<void> | void)[] = [];
  let stopped = false;
  const stopAll = async () => {
    stopped = true;
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    let slackApi: LocalSlackApi | undefined;
    let config: Config;
    if (surface === 'teams') config = localTeamsConfig(env, { port: opts.port ?? 3978 });
    else {
      const api = new LocalSlackApi({
        tokens: [bot_token],
        team_id: 'T0LOCAL',
        users: Object.fromEntries(LOCAL_USERS.map((u) => [u.id, { name: u.name, real_name: u.role }])),
      });
      slackApi = api;
      const slackApiUrl = await api.start();
      cleanups.push(() => api.stop());
      config = localConfig(env, {
        signing_secret,
        bot_token,
        slack_api_url: slackApiUrl,
        port: opts.port ?? 3000,
      });
    }

    const clock = new SimClock(speed);
    const aws = await createMockAwsProviders({ now: clock.now, config });
    cleanups.push(() => aws.close());
    // PGlite takes seconds to start: warm it while the rest starts.
    const sqlReady = aws.sql.engine();
    const rt = await createRuntime(config, { aws, now: clock.now });
    setRuntime(rt);

    // The same definitions CDK deploys, with the workflow's clocks scaled to simulated time.
    const options = workflowOptionsFromConfig(config, LOCAL_TASK_RESOURCES);
    const scaled = {
      ...options,
      approvalTimeoutSeconds: Math.max(1, Math.round(options.approvalTimeoutSeconds / speed)),
    };
    const workflows = attachLocalWorkflows(aws.sfn, {
      definitions: {
        [LOCAL_MAIN_STATE_MACHINE_ARN]: buildMainWorkflow(scaled),
        [LOCAL_APPROVAL_STATE_MACHINE_ARN]: buildApprovalWorkflow(scaled),
      },
      tasks: bindPipelineTasks(rt),
      wait_ms: Math.round(clock.realMs(config.VERIFY_WAIT_SECONDS * 1000)),
      retry_ms: 200,
    });
    cleanups.push(() => workflows.detach());

    const logger = new Logger({ serviceName: 'bdp-local', logLevel: config.LOG_LEVEL });
    const svc = createBotServices(rt, { followUp: answerFollowUp });
    let url: string;
    let teams: RunningTeamsServer | undefined;
    let playground: RunningPlayground | undefined;
    if (surface === 'teams') {
      // Empty app credentials: local and unauthenticated, which startTeamsServer allows on 127.0.0.1 only.
      // The worker starts empty (no Slack here): the server registers its Teams surface on it, and the
      // in-process queue receives the workflow's notices.
      const dispatcher = new JobDispatcher();
      const queue = new InProcessJobQueue((job) => dispatcher.run(job), { logger });
      const server = await startTeamsServer({
        rt,
        svc,
        queue,
        dispatcher,
        credentials: {
          MicrosoftAppId: '',
          MicrosoftAppPassword: '',
          MicrosoftAppTenantId: '',
          MicrosoftAppType: '',
        },
        port: opts.port ?? config.PORT,
        logger,
      });
      teams = server;
      cleanups.push(() => setChatNotifier(undefined));
      cleanups.push(() => server.stop());
      url = server.url;
      if (opts.playground ?? true) {
        const pg = await startPlayground(server.url, { preferredPort: PLAYGROUND_DEFAULT_PORT });
        playground = pg;
        cleanups.push(() => pg.stop());
        url = pg.url;
      }
    } else {
      const slack = await startSlackServer({
        rt,
        svc,
        credentials: { signing_secret, bot_token },
        bot: { bot_id: slackApi!.botId, bot_user_id: slackApi!.botUserId },
        port: 0,
        logger,
      });
      cleanups.push(() => setChatNotifier(undefined));
      cleanups.push(() => slack.stop());

      // The page is up before the platform: it shows the channel while the first run starts.
      const web = await startWebServer({
        slackApi: slackApi!,
        boltUrl: slack.url,
        signingSecret: signing_secret,
        workspace: {
          team_id: 'T0LOCAL',
          team_domain: 'bdp-local',
          api_app_id: 'A0BDPLOCAL',
          channel_id: LOCAL_CHANNEL.id,
          channel_name: LOCAL_CHANNEL.name,
        },
        users: LOCAL_USERS,
        port: opts.port ?? config.PORT,
        clock,
        approval_timeout_seconds: config.APPROVAL_TIMEOUT_SECONDS,
        log_file: opts.logFile,
        groups: { [config.SLACK_ONCALL_GROUP ?? LOCAL_ONCALL_GROUP.id]: LOCAL_ONCALL_GROUP.handle },
      });
      cleanups.push(() => web.stop());
      url = web.url;
    }
    opts.onPageReady?.(url);

    const simulator = new PlatformSimulator({
      platform: aws,
      services: rt.services,
      now: () => clock.nowMs(),
      scenario,
      onEvent: (e) => {
        logger.info('simulator', {
          event: e.kind,
          fault: e.fault,
          target_service: e.service,
          at: e.at.toISOString(),
        });
        opts.onSimulatorEvent?.(e);
      },
    });
    await sqlReady;
    await simulator.start();

    let runs = 0;
    const runSchedule = async () => {
      // What EventBridge Scheduler does in AWS: StartExecution with `{}`. The scheduled Detect handler
      // sweeps the chat outbox first; the local runner binds `detect`, not the handler, so sweep here:
      // a notice whose post failed locally goes out again on the next tick.
      await simulator.tick();
      const swept = await sweepChatOutbox(rt).catch((e: unknown) => ({ error: (e as Error).message }));
      if (!('republished' in swept) || swept.republished || swept.failed || swept.stuck)
        logger.info('chat outbox swept', { ...swept });
      return aws.sfn.startExecution(LOCAL_MAIN_STATE_MACHINE_ARN, {}, `scheduled-${Date.now()}-${++runs}`);
    };
    const begin = () => {
      if (stopped) return;
      clock.start();
      const simTimer = setInterval(
        () =>
          void simulator
            .tick()
            .catch((e: Error) => logger.error('simulator tick failed', { error: e.message })),
        Math.max(100, Math.min(1_000, clock.realMs(30_000))),
      );
      cleanups.push(() => clearInterval(simTimer));
      const scheduleTimer = setInterval(
        () =>
          void runSchedule().catch((e: Error) => logger.error('scheduled run failed', { error: e.message })),
        Math.round(clock.realMs(SCHEDULE_SECONDS * 1000)),
      );
      cleanups.push(() => clearInterval(scheduleTimer));
      // The first run right away: the first fault is already a few minutes old.
      void runSchedule().catch((e: Error) => logger.error('scheduled run failed', { error: e.message }));
    };

    if (teams) {
      // Cards need a conversation: hold simulated time until the Playground (or any client) opens one.
      const conversations = teams.conversations;
      logger.info('waiting for a Teams conversation (open the Agents Playground) before the platform runs');
      let waiting: NodeJS.Timeout | undefined;
      const poll = () => {
        waiting = undefined;
        if (stopped) return;
        conversations
          .getDefault()
          .then((ref) => {
            if (ref) {
              logger.info('Teams conversation known: the platform starts', {
                conversation: ref.conversation.id,
              });
              begin();
            } else if (!stopped) waiting = setTimeout(poll, 250);
          })
          .catch((e: Error) => {
            logger.error('reading the Teams conversation failed', { error: e.message });
            if (!stopped) waiting = setTimeout(poll, 1_000);
          });
      };
      cleanups.push(() => clearTimeout(waiting));
      poll();
    } else begin();

    return {
      url,
      surface,
      config,
      rt,
      aws,
      clock,
      slackApi,
      teams,
      playground,
      simulator,
      workflows,
      users: LOCAL_USERS,
      runSchedule,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
