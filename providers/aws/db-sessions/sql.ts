/**
 * The one statement `rds_terminate_idle_sessions` sends (RDS Data API on Aurora PostgreSQL; PGlite in
 * tests). It ends client sessions idle, or idle in transaction, for longer than :idle_minutes, oldest
 * first, at most :max_sessions, and never:
 *   - its own session (pg_backend_pid) or any session of its own database user (current_user);
 *   - superusers, members of rds_superuser/rdsadmin, or a user in :protected_users (comma-separated);
 *   - applications whose application_name starts with one of :protected_applications (comma-separated).
 * The LIMIT sits in the subquery, so pg_terminate_backend runs on at most :max_sessions rows.
 */
export const TERMINATE_IDLE_SESSIONS_SQL = `
SELECT a.pid, a.usename, a.application_name, a.state,
       CAST(EXTRACT(EPOCH FROM (now() - a.state_change)) AS integer) AS idle_seconds,
       pg_terminate_backend(a.pid) AS terminated
FROM (
  SELECT s.pid, s.usename, s.application_name, s.state, s.state_change
  FROM pg_stat_activity s
  WHERE s.backend_type = 'client backend'
    AND s.pid <> pg_backend_pid()
    AND s.state IN ('idle', 'idle in transaction', 'idle in transaction (aborted)')
    AND s.state_change < now() - make_interval(mins => CAST(:idle_minutes AS integer))
    AND s.usename IS NOT NULL
    AND s.usename <> current_user
    AND NOT (s.usename = ANY (string_to_array(:protected_users, ',')))
    AND NOT EXISTS (
      SELECT 1 FROM unnest(string_to_array(:protected_applications, ',')) AS p(prefix)
      WHERE p.prefix <> '' AND starts_with(COALESCE(s.application_name, ''), p.prefix)
    )
    AND NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.oid = s.usesysid AND r.rolsuper)
    AND NOT EXISTS (
      SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
      WHERE m.member = s.usesysid AND g.rolname IN ('rds_superuser', 'rdsadmin')
    )
  ORDER BY s.state_change ASC
  LIMIT CAST(:max_sessions AS integer)
) a`;
