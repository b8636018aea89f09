/** Unified logs in SQL: schema.sql, the provider written once over a SqlExecutor, and the Data API and PGlite executors. */
export { DataApiExecutor, type DataApiTarget, dataApiTimestamp, toSqlParameters } from './data-api-executor';
export { toPositional } from './named-params';
export { type PgEngine, PgliteExecutor } from './pglite-executor';
export { LOG_LEVELS, SqlUnifiedLogProvider, toIsoTimestamp, type UnifiedLogInsertRow } from './provider';
export { readUnifiedLogSchemaFile, unifiedLogSchemaSql, unifiedLogSchemaStatements } from './schema';
