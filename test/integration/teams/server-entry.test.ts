import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../e2e/teams/playground';

const ROOT = join(__dirname, '../../..');
let child: ChildProcess | undefined;
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

test('npm run start:teams without app credentials binds 127.0.0.1, says it is local and unauthenticated, and answers', async () => {
  const port = await freePort();
  child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'bot/teams/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      POWERTOOLS_DEV: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const deadline = Date.now() + 45_000;
  while (!out.includes('UNAUTHENTICATED') && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 200));
  expect(out).toContain(
    'Teams bot is LOCAL and UNAUTHENTICATED (MicrosoftAppId is empty): listening on 127.0.0.1 only',
  );
  expect(out).toContain(`http://127.0.0.1:${port}/api/messages`);
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  const wrong = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', body: 'not json' });
  expect(wrong.status).toBe(400);
  expect(await wrong.text()).toContain('the body is not JSON');
}, 60_000);
