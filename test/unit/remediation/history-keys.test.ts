import { createRemediationHistoryStore } from '../../../pipeline/state';
import type { RemediationResult } from '../../../providers/domain';
import {
  encodeUlidTime,
  isUlid,
  monotonicUlid,
  ulidLowerBound,
  ulidTime,
  ulidUpperBound,
} from '../../../providers/ids/ulid';
import { makeRuntime, type TestRuntime } from '../workflow/support';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await makeRuntime();
});
afterAll(() => rt.aws.close());

const row = (execution_id: string, at: string): RemediationResult => ({
  incident_id: `inc-${execution_id}`,
  execution_id,
  resource_id: 'lambda:payments-api',
  execution_time: at,
  action: 'lambda_restart',
  parameters: { function_name: 'payments-api' },
  dry_run: false,
  status: 'executed',
  rollback_available: true,
  executed_by: 'bdp-agent',
});

const RES = 'lambda:payments-api';
const keysOf = async (resource = RES) =>
  (await rt.aws.dynamo.query('remediation_history', { partition_value: resource })).map((r) => ({
    id: String(r.execution_id),
    key: String(r.execution_time),
  }));

it('50 writes for one resource with a frozen clock keep 50 distinct rows, sorted in write order', async () => {
  const history = createRemediationHistoryStore(rt);
  const resource = 'lambda:burst';
  const at = '2026-11-26T09:00:00.000Z';
  const written = [];
  for (let i = 0; i < 50; i++)
    written.push(
      await history.record(
        { ...row(`burst-${String(i).padStart(2, '0')}`, at), resource_id: resource },
        'svc',
      ),
    );
  const rows = await keysOf(resource);
  expect(new Set(rows.map((r) => r.key)).size).toBe(50);
  // The table's sort order (the key) is the write order, and every row keeps its own time.
  expect(rows.map((r) => r.id)).toEqual(written.map((w) => w.execution_id));
  expect(written.every((w) => w.execution_time === at)).toBe(true);
  expect(rows.every((r) => isUlid(r.key) && ulidTime(r.key) === Date.parse(at))).toBe(true);
  // Each row is found by its own id, and the range reads see all of them.
  expect((await history.getById(written[37]!.history_id))?.execution_id).toBe('burst-37');
  expect(await history.countExecutedSince(resource, new Date(at))).toBe(50);
  expect(await history.countExecutedSince(resource, new Date(Date.parse(at) + 1))).toBe(0);
  expect((await history.listForResourceSince(resource, at)).map((r) => r.execution_id)).toEqual(
    written.map((w) => w.execution_id),
  );
});

it('two executions in one millisecond keep two rows; the same execution recording again rewrites its own', async () => {
  const history = createRemediationHistoryStore(rt);
  const at = '2026-11-26T08:00:00.000Z';
  const a = await history.record(row('exec-a', at), 'payments-api');
  const b = await history.record(row('exec-b', at), 'payments-api');
  const again = await history.record(row('exec-a', at), 'payments-api');
  expect(a.history_key).not.toBe(b.history_key);
  expect(again.history_key).toBe(a.history_key);
  expect(b.history_key > a.history_key).toBe(true);
  expect([a.execution_time, b.execution_time]).toEqual([at, at]);
  expect((await keysOf()).map((r) => r.id)).toEqual(['exec-a', 'exec-b']);
  expect((await history.getById(b.history_id))?.execution_id).toBe('exec-b');
  // By time alone the row is ambiguous: nothing is returned rather than the wrong one.
  expect(await history.get(RES, at)).toBeUndefined();
  // The right to roll back is claimed on the row's key, once.
  expect(await history.claimRollback(RES, b.history_key, 'U1')).toBe(true);
  expect(await history.claimRollback(RES, b.history_key, 'U1')).toBe(false);
  expect((await history.get(RES, a.history_key))?.rollback_available).toBe(true);
});

it('rows written before ULID keys (an ISO time as the key) stay readable and inside range reads', async () => {
  const history = createRemediationHistoryStore(rt);
  const resource = 'rds-param:legacy';
  const old = '2026-11-25T10:00:00.000Z';
  await rt.aws.dynamo.put('remediation_history', {
    resource_id: resource,
    execution_time: old,
    incident_id: 'inc-old',
    execution_id: 'exec-old',
    service: 'legacy-db',
    action_type: 'lambda_restart',
    parameters_json: '{}',
    dry_run: false,
    result: 'executed',
    rollback_available: true,
  });
  const fresh = await history.record(
    { ...row('exec-new', '2026-11-26T10:00:00.000Z'), resource_id: resource },
    'legacy-db',
  );
  const got = await history.get(resource, old);
  expect(got).toMatchObject({ execution_id: 'exec-old', execution_time: old, history_key: old });
  expect(got?.history_id).toBe(`${resource}@${old}`);
  expect(
    (await history.listForResourceSince(resource, '2026-11-25T00:00:00.000Z')).map((r) => r.execution_id),
  ).toEqual(['exec-old', 'exec-new']);
  // An old row before the bound is filtered out by its time, though its key sorts after every ULID.
  expect(
    (await history.listForResourceSince(resource, '2026-11-26T00:00:00.000Z')).map((r) => r.execution_id),
  ).toEqual(['exec-new']);
  expect(await history.countExecutedSince(resource, new Date('2026-11-26T00:00:00.000Z'))).toBe(1);
  expect((await history.listForService('legacy-db')).map((r) => r.history_key)).toEqual([
    fresh.history_key,
    old,
  ]);
});

describe('monotonic ULIDs', () => {
  it('encode 48-bit ms time in Crockford base32 so that string order is time order', () => {
    expect(encodeUlidTime(0)).toBe('0000000000');
    expect(encodeUlidTime(2 ** 48 - 1)).toBe('7ZZZZZZZZZ');
    const times = [1, 31, 32, 2 ** 40, 1_700_000_000_000, 1_800_000_000_123];
    const encoded = times.map(encodeUlidTime);
    expect([...encoded].sort()).toEqual(encoded);
    expect(times.map((t) => ulidTime(`${encodeUlidTime(t)}${'0'.repeat(16)}`))).toEqual(times);
    expect(() => encodeUlidTime(2 ** 48)).toThrow();
  });
  it('increase within one millisecond and restart randomness on a new one', () => {
    const next = monotonicUlid();
    const ms = Date.parse('2026-11-26T08:00:00.000Z');
    const same = Array.from({ length: 1000 }, () => next(ms));
    expect(same.every(isUlid)).toBe(true);
    expect([...same].sort()).toEqual(same);
    expect(new Set(same).size).toBe(1000);
    const later = next(ms + 1);
    const earlier = next(ms - 1);
    expect(ulidTime(later)).toBe(ms + 1);
    expect(ulidTime(earlier)).toBe(ms - 1);
    expect(earlier < same[0]! && later > same[999]!).toBe(true);
    expect(ulidLowerBound(ms) <= same[0]! && same[999]! <= ulidUpperBound(ms)).toBe(true);
  });
});
