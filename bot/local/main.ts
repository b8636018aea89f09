// `npm start` (and `npm run start:teams` = `--surface teams`): the whole product locally — see
// bot/local/README.md and `npm start -- --help`.

import { loadDotEnv, UsageError, usageExit, wantsHelp } from '../../providers/cli';
import { ConfigError } from '../../providers/config';
import { parseArgs, usage } from './args';
import { LOG_FILE } from './quiet';
import type { Workspace } from './workspace';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // --help before anything heavy is loaded.
  if (wantsHelp(argv)) {
    console.log(usage(LOG_FILE));
    return;
  }
  // `.env` first: PORT may come from it; the workspace validates the environment (ConfigError below).
  loadDotEnv();
  let opts: ReturnType<typeof parseArgs>;
  try {
    const envPort = Number(process.env.PORT);
    const given = Number.isInteger(envPort) && envPort > 0 ? envPort : undefined;
    opts = parseArgs(argv, {
      port: given ?? 3000,
      // Loaded only when needed: the Teams server module is heavy.
      teamsPort: () =>
        given ?? (require('../teams/server') as typeof import('../teams/server')).DEFAULT_TEAMS_PORT,
    });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    usageExit(usage(LOG_FILE), e.message);
  }
  const { startWorkspace }: typeof import('./workspace') = require('./workspace');
  // The line goes out as soon as people can work; the platform finishes starting behind it.
  const started = startWorkspace({
    scenario: opts.scenario,
    speed: opts.speed,
    port: opts.port,
    surface: opts.surface,
    playground: opts.playground,
    logFile: LOG_FILE,
    onPageReady: (url) => {
      const tail = `(scenario ${opts.scenario}, speed ${opts.speed}× simulated time; Ctrl-C to stop)\nLog file: ${LOG_FILE}`;
      if (opts.surface === 'slack') console.log(`BDP Agent workspace: ${url}  ${tail}`);
      else if (opts.playground)
        console.log(`BDP Agent in the Microsoft 365 Agents Playground: ${url}  ${tail}`);
      else console.log(`BDP Agent Teams bot (local, unauthenticated): ${url}  ${tail}`);
    },
  });

  // Handlers go on before start-up ends: a Ctrl-C while the Playground starts must still stop it.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Executions still in flight may touch dynalite/PGlite after they close: expected now, not a crash.
    const ignore = (e: unknown) =>
      process.stdout.write(
        `${JSON.stringify({ level: 'WARN', message: 'after shutdown', error: String(e) })}\n`,
      );
    process.on('uncaughtException', ignore);
    process.on('unhandledRejection', ignore);
    // Stop the Playground, timers and servers, close dynalite and PGlite; exit even if something hangs
    // (the Playground child is killed on exit too).
    const force = setTimeout(() => process.exit(1), 8_000);
    force.unref();
    started
      .then(
        (ws: Workspace) => ws.stop(),
        () => undefined,
      )
      .then(() => {
        console.log(`stopped (${signal})`);
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    await started;
  } catch (e) {
    if (stopping) return;
    // A bad environment stops with the message naming the variable.
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`Port ${opts.port} is in use: pass another with --port (0 picks a free one).`);
      process.exit(1);
    }
    throw e;
  }
}

main().catch((e: unknown) => {
  console.error(`npm start failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
