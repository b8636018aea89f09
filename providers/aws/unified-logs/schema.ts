import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The table name the schema file is written with. */
export const SCHEMA_TABLE_PLACEHOLDER = 'unified_logs';

/** Raw text of schema.sql (the one definition of the unified log table). */
export function readUnifiedLogSchemaFile(): string {
  return readFileSync(join(__dirname, 'schema.sql'), 'utf8');
}

/** A name safe to splice into SQL: config validates it too, this guards every other caller. */
export function assertIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a lower-case SQL identifier`);
  return name;
}

/** schema.sql for the configured table name, split into single statements (the Data API runs one at a time). */
export function unifiedLogSchemaStatements(table: string = SCHEMA_TABLE_PLACEHOLDER): string[] {
  const sql = readUnifiedLogSchemaFile()
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .replaceAll(SCHEMA_TABLE_PLACEHOLDER, assertIdentifier(table));
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The schema as one SQL text for the configured table name. */
export function unifiedLogSchemaSql(table: string = SCHEMA_TABLE_PLACEHOLDER): string {
  return `${unifiedLogSchemaStatements(table).join(';\n\n')};\n`;
}
