import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const cli = path.join(root, 'pipeline', 'summarize', 'cli.ts');

const LINES = [
  '2026-11-26 07:00:01,100 INFO  com.acme.Api: GET /orders/1 200 in 12 ms',
  '2026-11-26 07:00:02,200 ERROR com.acme.Db: Connection to db-1:5432 timed out after 3000 ms',
  '2026-11-26 07:00:03,300 INFO  com.acme.Api: GET /orders/2 200 in 15 ms',
  '2026-11-26 07:00:04,400 ERROR com.acme.Db: Connection to db-2:5432 timed out after 3001 ms',
  '2026-11-26 07:00:05,500 INFO  com.acme.Api: GET /orders/3 200 in 9 ms',
];

describe('summarize CLI', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'summarize-cli-'));
    file = path.join(dir, 'app.log');
    writeFileSync(file, `${LINES.join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(tsx, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

  it('--groups prints one group id per input line, in order', () => {
    const r = run('--groups', file);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['T1', 'T2', 'T1', 'T2', 'T1']);
  });

  it('prints the summary of a file, and fails clearly on a missing one', () => {
    const r = run(file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('## app: 5 rows');
    expect(r.stdout).toContain('### ERROR: 2 rows');
    expect(r.stdout).toContain('T2 x2');
    const missing = run(path.join(dir, 'nope.log'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.log: ENOENT/);
  });
});
