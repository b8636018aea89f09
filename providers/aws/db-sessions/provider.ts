import type { DbSessionsProvider, SqlExecutor, TerminatedSession } from '../types';
import { TERMINATE_IDLE_SESSIONS_SQL } from './sql';

/** Where a cluster's sessions are reached: the Data API target (cluster ARN, secret, database). */
export interface SessionTarget {
  resource_arn?: string;
  secret_arn?: string;
  database?: string;
}

/** Names in a comma-joined list must not hold a comma themselves (they never do: role names, app prefixes). */
const joinNames = (xs: string[]) => xs.filter((x) => x && !x.includes(',')).join(',');

/** DbSessionsProvider over any SqlExecutor: the RDS Data API in AWS, PGlite in tests and locally. */
export class SqlDbSessions implements DbSessionsProvider {
  constructor(private readonly executorFor: (cluster_id: string, target: SessionTarget) => SqlExecutor) {}

  async terminateIdle(q: Parameters<DbSessionsProvider['terminateIdle']>[0]): Promise<TerminatedSession[]> {
    const rows = await this.executorFor(q.cluster_id, q.target ?? {}).execute(TERMINATE_IDLE_SESSIONS_SQL, {
      idle_minutes: q.idle_minutes,
      max_sessions: q.max_sessions,
      protected_users: joinNames(q.protected_users),
      protected_applications: joinNames(q.protected_applications),
    });
    return rows.map(
      (r): TerminatedSession => ({
        pid: Number(r.pid),
        usename: r.usename == null ? null : String(r.usename),
        application_name: r.application_name == null ? null : String(r.application_name),
        state: r.state == null ? null : String(r.state),
        idle_seconds: Number(r.idle_seconds ?? 0),
        terminated: r.terminated === true || r.terminated === 't' || r.terminated === 'true',
      }),
    );
  }
}
