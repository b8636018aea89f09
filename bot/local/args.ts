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

export class UsageError extends Error {}

/**
 * Parses `--name value` / `--name=value`; anything unknown or malformed is a UsageError naming it.
 * Without `--port`, the port is `defaults.port` for Slack and `defaults.teamsPort` (else `port`) for Teams.
 */
export function parseArgs(argv: string[], defaults: { port: number; teamsPort?: number }): StartOptions {
  const out: StartOptions = {
    scenario: 'default',
    speed: DEFAULT_SPEED,
    port: defaults.port,
    surface: 'slack',
    playground: true,
    help: false,
  };
  let portGiven = false;
  let noPlayground = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    if (arg === '--no-playground') {
      noPlayground = true;
      continue;
    }
    const m = /^--(scenario|speed|port|surface)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unknown option ${arg}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${m[1]} needs a value`);
    if (m[1] === 'scenario') {
      if (!SCENARIOS[value])
        throw new UsageError(`unknown scenario "${value}" (one of ${Object.keys(SCENARIOS).join(', ')})`);
      out.scenario = value;
    } else if (m[1] === 'speed') {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0.1 || n > 1000)
        throw new UsageError(`--speed must be a number from 0.1 to 1000, got "${value}"`);
      out.speed = n;
    } else if (m[1] === 'surface') {
      if (!(SURFACES as readonly string[]).includes(value))
        throw new UsageError(`unknown surface "${value}" (one of ${SURFACES.join(', ')})`);
      out.surface = value as Surface;
    } else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65_535)
        throw new UsageError(`--port must be an integer from 0 to 65535, got "${value}"`);
      out.port = n;
      portGiven = true;
    }
  }
  if (noPlayground) {
    if (out.surface !== 'teams') throw new UsageError('--no-playground goes with --surface teams');
    out.playground = false;
  }
  if (out.surface === 'teams' && !portGiven) out.port = defaults.teamsPort ?? defaults.port;
  return out;
}
