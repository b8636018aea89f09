import { appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Imported first by `npm start`: the terminal shows one line (the URL) and errors; structured JSON
 * log lines and Node warnings (e.g. the AWS SDK's Node-version notice) go to a log file instead.
 */
export const LOG_FILE =
  process.env.BDP_LOCAL_LOG_FILE || join(tmpdir(), `bdp-workspace-${instanceTag()}.log`);

/**
 * One log file per instance, so two workspaces never truncate each other's: named for the port asked
 * for (`--port`, else PORT, else the surface's default), or the process id when the port is picked
 * at random (`--port 0`).
 */
function instanceTag(): string {
  const argv = process.argv.slice(2);
  let port: string | undefined;
  argv.forEach((a, i) => {
    const m = /^--port(?:=(.*))?$/.exec(a);
    if (m) port = m[1] ?? argv[i + 1];
  });
  const teams = argv.some(
    (a, i) => a === '--surface=teams' || (a === '--surface' && argv[i + 1] === 'teams'),
  );
  port ??= process.env.PORT || (teams ? '3978' : '3000');
  return /^[1-9]\d{0,4}$/.test(port) ? `port${port}` : `pid${process.pid}`;
}

writeFileSync(LOG_FILE, '');
const toFile = (line: string) => {
  try {
    appendFileSync(LOG_FILE, line.endsWith('\n') ? line : `${line}\n`);
  } catch {
    // a full disk must not stop the workspace
  }
};

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.trimStart().startsWith('{')) {
      toFile(text);
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

process.removeAllListeners('warning');
process.on('warning', (w) => toFile(JSON.stringify({ level: 'WARN', message: w.message, name: w.name })));
