import type { DbSessionsProvider, SqlParam, TerminatedSession } from '../types';
import { toPositional } from '../unified-logs/named-params';
import type { PgEngine } from '../unified-logs/pglite-executor';
import { SqlDbSessions } from './provider';

/**
 * PGlite runs one standalone backend, so its pg_stat_activity holds only itself. The stand-in: a
 * schema `sim` holding a pg_stat_activity table with the real view's columns and a
 * pg_terminate_backend(integer) that removes the row, searched before pg_catalog. The product's SQL
 * runs unchanged against it; pg_roles, pg_auth_members, pg_backend_pid and current_user are PGlite's own.
 */
const STAND_IN = [
  'CREATE SCHEMA sim',
  `CREATE TABLE sim.pg_stat_activity (
     pid integer PRIMARY KEY, datname name, usesysid oid, usename name, application_name text,
     state text, state_change timestamptz, backend_type text)`,
  `CREATE FUNCTION sim.pg_terminate_backend(p integer) RETURNS boolean LANGUAGE sql AS $$
     WITH d AS (DELETE FROM sim.pg_stat_activity WHERE pid = p RETURNING 1) SELECT count(*) > 0 FROM d $$`,
  'CREATE ROLE app_user LOGIN',
  'CREATE ROLE reporting LOGIN',
  'CREATE ROLE rdsadmin LOGIN',
  'CREATE ROLE dba_admin LOGIN SUPERUSER',
  'SET search_path = sim, pg_catalog, public',
];

export interface SimSession {
  pid?: number;
  usename: string;
  application_name?: string;
  state: 'active' | 'idle' | 'idle in transaction' | 'idle in transaction (aborted)';
  /** Seconds since the session entered its state. */
  idle_seconds: number;
  backend_type?: string;
}

/** Database sessions of the mock Aurora cluster(s), on PGlite with a stand-in pg_stat_activity. */
export class MockDbSessions implements DbSessionsProvider {
  /** Every terminateIdle call with what it ended (fault tests count double actions here). */
  readonly runs: { cluster_id: string; terminated: TerminatedSession[]; at: Date }[] = [];
  private db: Promise<PgEngine> | undefined;
  private nextPid = 1000;
  private readonly sql = new SqlDbSessions(() => ({
    execute: (text, params) => this.execute(text, params),
  }));

  constructor(private readonly now: () => Date = () => new Date()) {}

  engine(): Promise<PgEngine> {
    this.db ??= (async () => {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = new PGlite();
      await db.waitReady;
      for (const s of STAND_IN) await db.exec(s);
      return db;
    })();
    return this.db;
  }

  async addSessions(sessions: SimSession[]): Promise<void> {
    const db = await this.engine();
    for (const s of sessions) {
      await db.query(
        `INSERT INTO sim.pg_stat_activity (pid, datname, usesysid, usename, application_name, state, state_change, backend_type)
         SELECT $1, current_database(), (SELECT oid FROM pg_roles WHERE rolname = $2), $2, $3, $4,
                now() - make_interval(secs => $5), $6`,
        [
          s.pid ?? this.nextPid++,
          s.usename,
          s.application_name ?? '',
          s.state,
          s.idle_seconds,
          s.backend_type ?? 'client backend',
        ],
      );
    }
  }

  /** Client sessions now open (what DatabaseConnections would show). */
  async count(): Promise<number> {
    const db = await this.engine();
    const r = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sim.pg_stat_activity WHERE backend_type = 'client backend'",
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  async terminateIdle(q: Parameters<DbSessionsProvider['terminateIdle']>[0]): Promise<TerminatedSession[]> {
    const terminated = await this.sql.terminateIdle(q);
    this.runs.push({ cluster_id: q.cluster_id, terminated, at: this.now() });
    return terminated;
  }

  async close(): Promise<void> {
    const db = await this.db?.catch(() => undefined);
    this.db = undefined;
    await db?.close();
  }

  private async execute(text: string, params: Record<string, SqlParam> = {}) {
    const db = await this.engine();
    const { text: positional, names } = toPositional(text);
    const r = await db.query<Record<string, unknown>>(
      positional,
      names.map((n) => params[n]),
    );
    return r.rows;
  }
}
