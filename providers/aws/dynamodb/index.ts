/** DynamoDB: THE table definitions, the DocumentClient provider, and the local dynalite server used as the mock. */
export { type LocalDynamo, startLocalDynamo } from './local';
export { DocumentDynamoProvider } from './provider';
export { createTables, expiresAt, TABLE_KEYS, TABLES, type TableDefinition, tableName } from './tables';
