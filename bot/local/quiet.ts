import { appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Imported first by `npm start`: the terminal shows one line (the URL) and errors; structured JSON
 * log lines and Node warnings (e.g. the AWS SDK's Node-version notice) go to a log file instead.
 */
export const LOG_FILE = process.env.BDP_LOCAL_LOG_FILE || join(tmpdir(), 'bdp-workspace.log');

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
