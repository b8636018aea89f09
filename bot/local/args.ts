import { parseCommandLine, UsageError } from '../../providers/cli';
import { SCENARIOS } from './simulator';
import { DEFAULT_SPEED } from './workspace-defaults';

export const SURFACES = ['slack', 'teams'] as const;
export type Surface = (typeof SURFACES)[number];

export interface StartOptions {
  scenario: string;
  speed: number;
  port: number;
  /** Where people work: the local Slack workspace page, or the Teams bot in the Agents Playground. */
  surface: Surface;
  /** Teams only: start the Agents Playground (false: only the bot, for a Playground or client of your own). */
  playground: boolean;
  help: boolean;
}

/** `npm start -- --help`: the options and every scenario. */
export function usage(logFile: string): string {
  const names = Object.keys(SCENARIOS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'usage: npm start -- [--scenario <name>] [--speed <factor>] [--port <port>] [--surface slack|teams] [--no-playground]',
    '       npm run start:teams -- [same options]   (= npm start -- --surface teams)',
    '',
    'The whole BDP Agent on embedded defaults: a simulated data platform, the scheduled workflow on the',
    'AWS state-machine definitions, the agent (mock LLM unless configured), and the real Slack bot in a',
    'local Slack-like workspace in your browser (or, with --surface teams, the real Teams bot in the',
    'Microsoft 365 Agents Playground). No AWS, Slack, Teams or LLM needed.',
    '',
    'options:',
    '  --scenario <name>  which faults the platform suffers (default: default)',
    `  --speed <factor>   simulated time per real time (default ${DEFAULT_SPEED}: the 5-minute schedule runs every 30 s)`,
    "  --port <port>      the page's port on 127.0.0.1 (default PORT or 3000; 0 picks a free one);",
    "                     with --surface teams the bot's port (default PORT or 3978)",
    '  --surface <name>   slack (default): the Slack-like workspace page; teams: the real Teams bot',
    '                     (Agents SDK) in the Microsoft 365 Agents Playground, cards posted to its chat',
    '  --no-playground    with --surface teams: start only the bot on 127.0.0.1:<port>/api/messages',
    '  --help             this text',
    '',
    'scenarios:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${SCENARIOS[n]!.description}`),
    '',
    `Logs (structured JSON) go to ${logFile}. Ctrl-C stops everything.`,
  ].join('\n');
}

export { UsageError };

export const START_OPTIONS = {
  scenario: { type: 'string' },
  speed: { type: 'string' },
  port: { type: 'string' },
  surface: { type: 'string' },
  'no-playground': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses `--name value` / `--name=value` (node:util parseArgs); anything unknown or malformed is a
 * UsageError naming it. Without `--port`, the port is `defaults.port` for Slack and
 * `defaults.teamsPort` (else `port`) for Teams.
 */
export function parseArgs(
  argv: string[],
  defaults: { port: number; teamsPort?: number | (() => number) },
): StartOptions {
  const { values: v } = parseCommandLine({ usage: '', options: START_OPTIONS }, argv);
  const out: StartOptions = {
    scenario: 'default',
    speed: DEFAULT_SPEED,
    port: defaults.port,
    surface: 'slack',
    playground: true,
    help: v.help ?? false,
  };
  for (const name of ['scenario', 'speed', 'port', 'surface'] as const)
    if (v[name] === '') throw new UsageError(`--${name} needs a value`);
  if (v.scenario !== undefined) {
    if (!SCENARIOS[v.scenario])
      throw new UsageError(`unknown scenario "${v.scenario}" (one of ${Object.keys(SCENARIOS).join(', ')})`);
    out.scenario = v.scenario;
  }
  if (v.speed !== undefined) {
    const n = Number(v.speed);
    if (!Number.isFinite(n) || n < 0.1 || n > 1000)
      throw new UsageError(`--speed must be a number from 0.1 to 1000, got "${v.speed}"`);
    out.speed = n;
  }
  if (v.surface !== undefined) {
    if (!(SURFACES as readonly string[]).includes(v.surface))
      throw new UsageError(`unknown surface "${v.surface}" (one of ${SURFACES.join(', ')})`);
    out.surface = v.surface as Surface;
  }
  if (v.port !== undefined) {
    const n = Number(v.port);
    if (!/^\d+$/.test(v.port) || n > 65_535)
      throw new UsageError(`--port must be an integer from 0 to 65535, got "${v.port}"`);
    out.port = n;
  }
  if (v['no-playground']) {
    if (out.surface !== 'teams') throw new UsageError('--no-playground goes with --surface teams');
    out.playground = false;
  }
  if (out.surface === 'teams' && v.port === undefined)
    out.port =
      (typeof defaults.teamsPort === 'function' ? defaults.teamsPort() : defaults.teamsPort) ?? defaults.port;
  return out;
}
