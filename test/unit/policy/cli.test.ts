import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'bdp-policy-cli-'));
const file = (name: string, doc: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
};

/** Runs the CLI as an operator would (`npm run policy -- …` is `tsx providers/policy/cli.ts …`). */
function policy(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'providers/policy/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SERVICES_FILE: '', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const restart = (fn: string) =>
  file(`restart-${fn}.json`, { action: 'lambda_restart', parameters: { function_name: fn } });
const workMem = (v: unknown) =>
  file(`work-mem-${String(v).replace(/\W/g, '_')}.json`, {
    action: 'rds_parameter',
    parameters: { parameter_name: 'work_mem', new_value: v },
  });

describe('npm run policy -- check', () => {
  it('allowed: exit 0, prints the route cap and the target', () => {
    const r = policy('check', '--service', 'payments-api', '--plan', restart('payments-api'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ALLOWED · route cap: auto/);
    expect(r.out).toMatch(/target: Lambda function payments-api \(payments-api\)/);
  });

  it("refused: exit 3 with every reason (another service's function, outside the policy)", () => {
    const r = policy('check', '--service', 'payments-api', '--plan', restart('billing-core'), '--json');
    expect(r.code).toBe(3);
    const v = JSON.parse(r.out);
    expect(v).toMatchObject({ allowed: false, route_cap: 'escalate' });
    expect(v.reasons).toEqual([
      expect.stringMatching(/"billing-core" does not belong to payments-api/),
      expect.stringMatching(/"billing-core" is not in allowed_functions/),
    ]);
  });

  it('an unknown or formula current value caps the route at approval and says why', () => {
    const none = policy('check', '--service', 'orders-db', '--plan', workMem('8192'), '--json');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.out)).toMatchObject({ allowed: true, route_cap: 'approval' });
    const formula = policy(
      'check',
      '--service',
      'orders-db',
      '--plan',
      workMem(8192),
      '--current',
      '{"value":"{DBInstanceClassMemory/65536}"}',
    );
    expect(formula.code).toBe(0);
    expect(formula.out).toMatch(
      /route cap: approval[\s\S]*formula[\s\S]*max_change_ratio 4 cannot be checked/,
    );
    const known = policy(
      'check',
      '--service',
      'orders-db',
      '--plan',
      workMem(8192),
      '--current',
      '{"value":"4096"}',
    );
    expect(known.out).toMatch(/route cap: auto/);
    const tooFar = policy(
      'check',
      '--service',
      'orders-db',
      '--plan',
      workMem(262144),
      '--current',
      '{"value":4096}',
    );
    expect(tooFar.code).toBe(3);
    expect(tooFar.out).toMatch(/exceeds max_change_ratio 4/);
  });

  it('a value that is not plain decimal is refused (exit 3), not bad input', () => {
    const r = policy(
      'check',
      '--service',
      'orders-db',
      '--plan',
      workMem('0x2000'),
      '--current',
      '{"value":"4096"}',
    );
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/not a plain decimal integer/);
  });

  it.each([
    [['check', '--plan', 'x.json'], /missing --service/],
    [['check', '--service', 'payments-api'], /missing --plan/],
    [
      ['check', '--service', 'nope', '--plan', 'x.json'],
      /"nope" is not in the catalog \(known: payments-api/,
    ],
    [
      ['check', '--service', 'payments-api', '--plan', '/nonexistent/plan.json'],
      /--plan \/nonexistent\/plan.json: cannot read/,
    ],
    [['verify'], /unknown command "verify"/],
    [['check', '--service', 'payments-api', '--plan', 'PLAN_NOT_JSON'], /not JSON/],
    [['check', '--service', 'payments-api', '--plan', 'PLAN_BAD_SHAPE'], /parameters\.function_name/],
    [
      ['check', '--service', 'payments-api', '--plan', 'PLAN_OK', '--current', '{"value": true}'],
      /--current: value/,
    ],
    [['check', '--bogus'], /Unknown option '--bogus'/],
  ])('bad input %j: exit 2 naming what is wrong', (args, message) => {
    const real = args.map((a) =>
      a === 'PLAN_NOT_JSON'
        ? file('not.json', '{ nope')
        : a === 'PLAN_BAD_SHAPE'
          ? file('bad.json', { action: 'lambda_restart', parameters: {} })
          : a === 'PLAN_OK'
            ? restart('payments-api')
            : a,
    );
    const r = policy(...real);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('--help exits 0', () => {
    const r = policy('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage: npm run policy -- check --service/);
  });
});
