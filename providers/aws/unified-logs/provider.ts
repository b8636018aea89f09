import {
  AwsProviderError,
  type LogLevel,
  type ServiceErrorCounts,
  type SqlExecutor,
  type UnifiedLogProvider,
  type UnifiedLogRow,
} from '../types';
import { assertIdentifier } from './schema';

export const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
/** Rows per INSERT statement (keeps each Data API request well under its size limit). */
const INSERT_BATCH = 100;

/** A row to insert. `metadata_raw` stores text as is (e.g. malformed JSON from a real log line). */
export type UnifiedLogInsertRow = Partial<Omit<UnifiedLogRow, 'id' | 'metadata_unparsed'>> & {
  metadata_raw?: string;
};

/**
 * The unified-log queries, written once over a SqlExecutor: the same SQL and parameters run on the
 * RDS Data API in AWS and on PGlite locally. The table name comes from config (validated identifier).
 */
export class SqlUnifiedLogProvider implements UnifiedLogProvider {
  private readonly table: string;

  constructor(
    private readonly sql: SqlExecutor,
    table: string,
  ) {
    this.table = assertIdentifier(table);
  }

  /** The detection query: one pass over the (timestamp, log_level, service_name) index. */
  errorCountsSql(): string {
    return `SELECT service_name,
       COUNT(*) FILTER (WHERE timestamp >= :window_start) AS window_errors,
       COUNT(*) FILTER (WHERE timestamp < :window_start) AS baseline_errors
  FROM ${this.table}
 WHERE timestamp >= :baseline_start AND timestamp < :end
   AND log_level IN ('ERROR', 'FATAL')
 GROUP BY service_name
 ORDER BY service_name`;
  }

  /** Services with no error or fatal row in either range are absent (count them as zero). */
  async errorCounts(q: {
    window_start: Date;
    baseline_start: Date;
    end: Date;
  }): Promise<ServiceErrorCounts[]> {
    if (!(q.baseline_start <= q.window_start && q.window_start < q.end)) {
      throw new AwsProviderError(
        'rds-data',
        'errorCounts',
        'validation',
        'expected baseline_start <= window_start < end',
      );
    }
    const rows = await this.sql.execute(this.errorCountsSql(), {
      window_start: q.window_start,
      baseline_start: q.baseline_start,
      end: q.end,
    });
    return rows.map((r) => ({
      service_name: String(r.service_name),
      window_errors: Number(r.window_errors),
      baseline_errors: Number(r.baseline_errors),
    }));
  }

  async recentLogs(q: {
    service_name: string;
    levels: LogLevel[];
    since: Date;
    limit: number;
  }): Promise<UnifiedLogRow[]> {
    const levels = [...new Set(q.levels)];
    const unknown = levels.filter((l) => !LOG_LEVELS.includes(l));
    if (levels.length === 0 || unknown.length > 0) {
      throw new AwsProviderError(
        'rds-data',
        'recentLogs',
        'validation',
        `levels must be some of ${LOG_LEVELS.join(', ')}`,
      );
    }
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 1000) {
      throw new AwsProviderError(
        'rds-data',
        'recentLogs',
        'validation',
        `limit must be an integer from 1 to 1000, got ${q.limit}`,
      );
    }
    const params: Record<string, string | number | Date> = {
      service_name: q.service_name,
      since: q.since,
      limit: q.limit,
    };
    levels.forEach((l, i) => {
      params[`level${i}`] = l;
    });
    const rows = await this.sql.execute(
      `SELECT id, timestamp, service_name, log_level, message, metadata
  FROM ${this.table}
 WHERE service_name = :service_name AND timestamp >= :since
   AND log_level IN (${levels.map((_, i) => `:level${i}`).join(', ')})
 ORDER BY timestamp DESC, id DESC
 LIMIT :limit`,
      params,
    );
    return rows.map(toRow);
  }

  async insert(rows: UnifiedLogInsertRow[]): Promise<void> {
    rows.forEach((r, i) => {
      const missing = (['timestamp', 'service_name', 'log_level', 'message'] as const).filter(
        (k) => r[k] === undefined,
      );
      if (missing.length) {
        throw new AwsProviderError(
          'rds-data',
          'insert',
          'validation',
          `row ${i}: missing ${missing.join(', ')}`,
        );
      }
      if (!LOG_LEVELS.includes(r.log_level!)) {
        throw new AwsProviderError(
          'rds-data',
          'insert',
          'validation',
          `row ${i}: log_level must be one of ${LOG_LEVELS.join(', ')}`,
        );
      }
      if (Number.isNaN(new Date(r.timestamp!).getTime())) {
        throw new AwsProviderError(
          'rds-data',
          'insert',
          'validation',
          `row ${i}: timestamp "${r.timestamp}" is not a date`,
        );
      }
    });
    for (let start = 0; start < rows.length; start += INSERT_BATCH) {
      const batch = rows.slice(start, start + INSERT_BATCH);
      const params: Record<string, string | Date | null> = {};
      const tuples = batch.map((r, i) => {
        params[`t${i}`] = new Date(r.timestamp!);
        params[`s${i}`] = r.service_name!;
        params[`l${i}`] = r.log_level!;
        params[`m${i}`] = r.message!;
        params[`d${i}`] = r.metadata_raw ?? (r.metadata ? JSON.stringify(r.metadata) : null);
        return `(:t${i}, :s${i}, :l${i}, :m${i}, :d${i})`;
      });
      await this.sql.execute(
        `INSERT INTO ${this.table} (timestamp, service_name, log_level, message, metadata) VALUES ${tuples.join(', ')}`,
        params,
      );
    }
  }
}

/** Data API timestamps are `YYYY-MM-DD HH:MM:SS[.f]` in UTC; PGlite's come normalised to ISO. */
export function toIsoTimestamp(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  const iso =
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(s) && !/[zZ]|[+-]\d{2}(:?\d{2})?$/.test(s)
      ? `${s.replace(' ', 'T')}Z`
      : s.replace(' ', 'T');
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}

function toRow(r: Record<string, unknown>): UnifiedLogRow {
  const raw = r.metadata;
  const row: UnifiedLogRow = {
    id: String(r.id),
    timestamp: toIsoTimestamp(r.timestamp),
    service_name: String(r.service_name),
    log_level: String(r.log_level).toUpperCase() as LogLevel,
    message: String(r.message),
    metadata: null,
  };
  if (raw === null || raw === undefined || raw === '') return row;
  const text = String(raw);
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      row.metadata = parsed as Record<string, unknown>;
      return row;
    }
  } catch {
    // Kept below as metadata_unparsed: one bad log line must not hide the row.
  }
  row.metadata_unparsed = text;
  return row;
}
