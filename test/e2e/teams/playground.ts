import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The Microsoft 365 Agents Playground CLI (`agentsplayground`, package bin `cli.js`), pinned in package.json. */
export const PLAYGROUND_CLI = join(__dirname, '../../../node_modules/@microsoft/m365agentsplayground/cli.js');

export interface RunningPlayground {
  url: string;
  port: number;
  output: () => string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the playground takes a port number, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts the playground against a bot endpoint: no telemetry, no browser of its own, its connector
 * (`/_connector`) as the activities' serviceUrl. It listens on every interface (it has no host
 * option); the port is read from its "Listening on N" line.
 */
export async function startPlayground(botEndpoint: string, timeoutMs = 60_000): Promise<RunningPlayground> {
  const wanted = await freePort();
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
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the playground did not start in ${timeoutMs} ms:\n${out}`)),
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
      reject(new Error(`the playground exited (${code}) before listening:\n${out}`));
    });
  });
  if (port !== wanted)
    throw new Error(`the playground listens on ${port}, not ${wanted}: its --service-url would be wrong`);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
}
