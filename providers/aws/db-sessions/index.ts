/** Database sessions (pg_stat_activity) through the RDS Data API; PGlite with a stand-in view locally. */
export { MockDbSessions, type SimSession } from './mock';
export { type SessionTarget, SqlDbSessions } from './provider';
export { TERMINATE_IDLE_SESSIONS_SQL } from './sql';
