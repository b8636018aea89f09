import type { SqlExecutor, SqlParam } from '../types';
import { toPositional } from './named-params';
import { unifiedLogSchemaStatements } from './schema';

/** The part of PGlite used here (its CJS and ESM type declarations differ, so it is named locally). */
export interface PgEngine {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * SqlExecutor on PGlite (PostgreSQL in WASM, in memory): the local and test stand-in for Aurora behind
 * the Data API. The engine starts on first use (~2 s) and applies schema.sql, so a process that never
 * touches the unified logs never pays for it. Rows come back shaped like the Data API executor's:
 * timestamps as ISO strings, int8 as numbers.
 */
export class PgliteExecutor implements SqlExecutor {
  private db: Promise<PgEngine> | undefined;

  constructor(private readonly table: string) {}

  /** The underlying engine (started if needed), for tests that want EXPLAIN or raw SQL. */
  engine(): Promise<PgEngine> {
    this.db ??= this.start();
    return this.db;
  }

  async execute(sql: string, params: Record<string, SqlParam> = {}): Promise<Record<string, unknown>[]> {
    const db = await this.engine();
    const { text, names } = toPositional(sql);
    const values = names.map((n) => {
      if (!(n in params)) throw new Error(`SQL parameter :${n} has no value`);
      return params[n];
    });
    const result = await db.query<Record<string, unknown>>(text, values);
    return result.rows.map(normaliseRow);
  }

  async close(): Promise<void> {
    if (!this.db) return;
    const db = await this.db.catch(() => undefined);
    this.db = undefined;
    await db?.close();
  }

  private async start(): Promise<PgEngine> {
    // PGlite is ESM; a dynamic import keeps this CommonJS module loadable.
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite();
    await db.waitReady;
    for (const statement of unifiedLogSchemaStatements(this.table)) await db.exec(statement);
    return db;
  }
}

function normaliseRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Date) out[k] = v.toISOString();
    else if (typeof v === 'bigint') out[k] = Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    else out[k] = v;
  }
  return out;
}
