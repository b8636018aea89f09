// `npm start`: the whole product locally — see bot/local/README.md and `npm start -- --help`.
import { LOG_FILE } from './quiet';
import '../../providers/polyfills';
import { ConfigError } from '../../providers/config';
import { parseArgs, UsageError, usage } from './args';
import { startWorkspace, type Workspace } from './workspace';

async function main(): Promise<void> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    const envPort = Number(process.env.PORT);
    opts = parseArgs(process.argv.slice(2), {
      port: Number.isInteger(envPort) && envPort > 0 ? envPort : 3000,
    });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${usage(LOG_FILE)}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(usage(LOG_FILE));
    return;
  }
  let ws: Workspace;
  try {
    // The line goes out as soon as the page is served; the platform finishes starting behind it.
    ws = await startWorkspace({
      scenario: opts.scenario,
      speed: opts.speed,
      port: opts.port,
      onPageReady: (url) =>
        console.log(
          `BDP Agent workspace: ${url}  (scenario ${opts.scenario}, speed ${opts.speed}×, logs in ${LOG_FILE}; Ctrl-C to stop)`,
        ),
    });
  } catch (e) {
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
    // Stop timers and servers, close dynalite and PGlite; exit even if something hangs.
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    ws.stop()
      .then(() => {
        console.log(`stopped (${signal})`);
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`npm start failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
