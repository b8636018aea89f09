import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Each `npm start` instance logs to its own file, named for its port, and says where (issue 19). */
const ROOT = resolve(__dirname, '../../..');
const help = (args: string[], env: Record<string, string> = {}) => {
  const { BDP_LOCAL_LOG_FILE: _drop, PORT: _port, ...rest } = process.env;
  return execFileSync(process.execPath, ['--import', 'tsx', 'bot/local/main.ts', '--help', ...args], {
    cwd: ROOT,
    env: { ...rest, ...env },
    encoding: 'utf8',
  });
};

test('the log file carries the port asked for (--port, PORT, or the surface default)', () => {
  expect(help(['--port', '4321'])).toContain(join(tmpdir(), 'bdp-workspace-port4321.log'));
  expect(help([], { PORT: '4400' })).toContain(join(tmpdir(), 'bdp-workspace-port4400.log'));
  expect(help(['--surface=teams'])).toContain(join(tmpdir(), 'bdp-workspace-port3978.log'));
  // A random port: the process id keeps instances apart.
  expect(help(['--port', '0'])).toMatch(/bdp-workspace-pid\d+\.log/);
}, 60_000);
