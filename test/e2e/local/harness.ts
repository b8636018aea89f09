import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const OUTPUT = join(ROOT, 'test-output');

export { launchChromium as launchBrowser } from '../browser';

export interface RunningWorkspace {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `npm start` as a user runs it (node --import tsx bot/local/main.ts: one process, so SIGINT reaches it directly), on a free port; resolves once it prints its URL. */
export async function startWorkspaceProcess(args: string[], timeoutMs: number): Promise<RunningWorkspace> {
  mkdirSync(OUTPUT, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/local/main.ts', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, BDP_LOCAL_LOG_FILE: join(OUTPUT, 'e2e-workspace.log'), POWERTOOLS_DEV: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      // A setup that gives up must not leave the workspace running after Jest exits.
      child.kill('SIGKILL');
      reject(new Error(`no URL within ${timeoutMs} ms; output:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the workspace exited with ${code}:\n${out}`));
    });
  });
  return { url, child, output: () => out, exited };
}
