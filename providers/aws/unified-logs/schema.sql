-- The unified log table: every service's application log rows, read by detection and the agent.
-- Aurora PostgreSQL in AWS (through the RDS Data API), PGlite locally and in tests: the same SQL.
-- The name `unified_logs` is replaced by UNIFIED_LOG_TABLE when the schema is applied.
CREATE TABLE IF NOT EXISTS unified_logs (
  id bigserial PRIMARY KEY,
  timestamp timestamptz NOT NULL,
  service_name text NOT NULL,
  log_level text NOT NULL,
  message text NOT NULL,
  metadata text
);

-- Detection (error counts per service over a time range) reads only this index.
CREATE INDEX IF NOT EXISTS unified_logs_timestamp_level_service_idx
  ON unified_logs (timestamp, log_level, service_name);

-- Recent rows of one service, newest first.
CREATE INDEX IF NOT EXISTS unified_logs_service_timestamp_idx
  ON unified_logs (service_name, timestamp DESC);
