import {
  MockDbSessions,
  SqlDbSessions,
  TERMINATE_IDLE_SESSIONS_SQL,
} from '../../../providers/aws/db-sessions';

/**
 * The terminate-idle SQL on PGlite. PGlite has one standalone backend, so its pg_stat_activity holds
 * only itself: the sessions live in a stand-in table with the view's columns (schema `sim`, searched
 * before pg_catalog) and pg_terminate_backend removes the row. Roles, pg_auth_members, current_user
 * and pg_backend_pid are PGlite's own, so the superuser and own-user exclusions run for real.
 */
let db: MockDbSessions;
beforeAll(async () => {
  db = new MockDbSessions();
  await db.engine();
});
afterAll(() => db.close());

const policy = { protected_users: ['rdsadmin'], protected_applications: ['bdp-agent'] };

it("PGlite's own pg_stat_activity has only its standalone backend (why the stand-in exists)", async () => {
  const engine = await db.engine();
  const r = await engine.query<{ backend_type: string }>(
    'SELECT backend_type FROM pg_catalog.pg_stat_activity',
  );
  expect(r.rows.map((x) => x.backend_type)).toEqual(['standalone backend']);
});

it('ends only long-idle client sessions of ordinary users, oldest first, at most max_sessions', async () => {
  await db.addSessions([
    { pid: 1, usename: 'app_user', state: 'idle', idle_seconds: 3600 },
    { pid: 2, usename: 'app_user', state: 'idle in transaction', idle_seconds: 1800 },
    { pid: 3, usename: 'reporting', state: 'idle', idle_seconds: 1200 },
    { pid: 4, usename: 'app_user', state: 'active', idle_seconds: 7200 },
    { pid: 5, usename: 'app_user', state: 'idle', idle_seconds: 60 },
    { pid: 6, usename: 'dba_admin', state: 'idle', idle_seconds: 9000 },
    { pid: 7, usename: 'rdsadmin', state: 'idle', idle_seconds: 9000 },
    { pid: 8, usename: 'postgres', state: 'idle', idle_seconds: 9000 },
    { pid: 9, usename: 'app_user', application_name: 'bdp-agent-analyze', state: 'idle', idle_seconds: 9000 },
    { pid: 10, usename: 'app_user', state: 'idle', idle_seconds: 9000, backend_type: 'autovacuum worker' },
  ]);
  const ended = await db.terminateIdle({
    cluster_id: 'orders-db',
    idle_minutes: 10,
    max_sessions: 2,
    ...policy,
  });
  expect(ended.map((s) => [s.pid, s.state, s.terminated])).toEqual([
    [1, 'idle', true],
    [2, 'idle in transaction', true],
  ]);
  expect(ended[0]!.idle_seconds).toBeGreaterThanOrEqual(3599);
  // The next run takes the next-oldest; the protected ones never go.
  const again = await db.terminateIdle({
    cluster_id: 'orders-db',
    idle_minutes: 10,
    max_sessions: 10,
    ...policy,
  });
  expect(again.map((s) => s.pid)).toEqual([3]);
  const left = await (await db.engine()).query<{ pid: number }>(
    'SELECT pid FROM sim.pg_stat_activity ORDER BY pid',
  );
  expect(left.rows.map((r) => r.pid)).toEqual([4, 5, 6, 7, 8, 9, 10]);
  expect(await db.count()).toBe(6);
});

it('sends the same SQL with typed parameters to any executor (the Data API in AWS)', async () => {
  const calls: { sql: string; params: unknown }[] = [];
  const p = new SqlDbSessions(() => ({
    execute: async (sql, params) => {
      calls.push({ sql, params });
      return [
        { pid: 7, usename: 'x', application_name: '', state: 'idle', idle_seconds: 700, terminated: true },
      ];
    },
  }));
  const out = await p.terminateIdle({
    cluster_id: 'c',
    idle_minutes: 15,
    max_sessions: 3,
    protected_users: ['rdsadmin', 'bad,name'],
    protected_applications: ['bdp-agent'],
  });
  expect(out).toEqual([
    { pid: 7, usename: 'x', application_name: '', state: 'idle', idle_seconds: 700, terminated: true },
  ]);
  expect(calls[0]!.sql).toBe(TERMINATE_IDLE_SESSIONS_SQL);
  // A name holding the separator is dropped rather than split into two.
  expect(calls[0]!.params).toEqual({
    idle_minutes: 15,
    max_sessions: 3,
    protected_users: 'rdsadmin',
    protected_applications: 'bdp-agent',
  });
});
