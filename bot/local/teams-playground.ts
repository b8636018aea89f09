import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The Microsoft 365 Agents Playground CLI (`agentsplayground`, package bin `cli.js`), pinned in package.json. */
export const PLAYGROUND_CLI = join(__dirname, '../../node_modules/@microsoft/m365agentsplayground/cli.js');
/** The Playground's own default port: a stable URL when it is free. */
export const PLAYGROUND_DEFAULT_PORT = 56150;

export interface RunningPlayground {
  url: string;
  port: number;
  output: () => string;
  stop(): Promise<void>;
}

/** Whether `port` can be listened on right now (0 asks for any). Resolves to the port, or undefined. */
function tryPort(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    // The Playground listens on every interface: check the same.
    s.listen(port, () => {
      const got = (s.address() as { port: number }).port;
      s.close(() => resolve(got));
    });
  });
}

/** A port that was free a moment ago (the playground takes a port number, not 0). */
export async function freePort(preferred?: number): Promise<number> {
  const p = (preferred && (await tryPort(preferred))) || (await tryPort(0));
  if (!p) throw new Error('no free port for the Agents Playground');
  return p;
}

/**
 * Starts the playground against a bot endpoint: no telemetry, no browser of its own, its connector
 * (`/_connector`) as the activities' serviceUrl. It listens on every interface (it has no host
 * option); the port is read from its "Listening on N" line.
 */
export async function startPlayground(
  botEndpoint: string,
  opts: { timeoutMs?: number; preferredPort?: number } | number = {},
): Promise<RunningPlayground> {
  const { timeoutMs = 60_000, preferredPort } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const wanted = await freePort(preferredPort);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      PLAYGROUND_CLI,
      '--app-endpoint',
      botEndpoint,
      '--port',
      String(wanted),
      '--service-url',
      `http://127.0.0.1:${wanted}/_connector`,
      '--disable-telemetry',
    ],
    {
      env: {
        ...process.env,
        APPLICATION_INSIGHTS_NO_STATSBEAT: '1',
        TEAMSAPPTESTER_BROWSER: 'none',
        BROWSER: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // If this process ends without stop() (a crash), the child must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the Agents Playground did not start in ${timeoutMs} ms:\n${out}`)),
        timeoutMs,
      );
      const check = () => {
        const m = /Listening on (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the Agents Playground exited (${code}) before listening:\n${out}`));
      });
    });
    if (port !== wanted)
      throw new Error(
        `the Agents Playground listens on ${port}, not ${wanted}: its --service-url would be wrong`,
      );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${port}/`, port, output: () => out, stop };
}
