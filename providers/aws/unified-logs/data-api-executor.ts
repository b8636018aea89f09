import { ExecuteStatementCommand, type RDSDataClient, type SqlParameter } from '@aws-sdk/client-rds-data';
import { awsCall } from '../shared/errors';
import { AwsProviderError, type SqlExecutor, type SqlParam } from '../types';

/** The Data API answers within 45 s or not at all; leave room for the SDK's retries. */
const STATEMENT_TIMEOUT_MS = 50_000;
/** Extra attempts when Aurora Serverless is resuming or the API is briefly unavailable. */
const RESUME_RETRIES = 2;
const RESUME_BACKOFF_MS = 1_000;

export interface DataApiTarget {
  resourceArn: string;
  secretArn: string;
  database: string;
}

/** A Date as the Data API's TIMESTAMP literal: `YYYY-MM-DD HH:MM:SS.sss` in UTC. */
export function dataApiTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Typed Data API parameters: strings, longs, doubles, booleans, nulls, and dates with typeHint TIMESTAMP. */
export function toSqlParameters(params: Record<string, SqlParam>): SqlParameter[] {
  return Object.entries(params).map(([name, v]): SqlParameter => {
    if (v === null) return { name, value: { isNull: true } };
    if (v instanceof Date)
      return { name, value: { stringValue: dataApiTimestamp(v) }, typeHint: 'TIMESTAMP' };
    if (typeof v === 'boolean') return { name, value: { booleanValue: v } };
    if (typeof v === 'number') {
      if (!Number.isFinite(v))
        throw new AwsProviderError(
          'rds-data',
          'ExecuteStatement',
          'validation',
          `parameter :${name} is not finite`,
        );
      return Number.isInteger(v) ? { name, value: { longValue: v } } : { name, value: { doubleValue: v } };
    }
    return { name, value: { stringValue: v } };
  });
}

/** SqlExecutor on the RDS Data API (ExecuteStatement, records returned as JSON). */
export class DataApiExecutor implements SqlExecutor {
  constructor(
    private readonly client: RDSDataClient,
    private readonly target: DataApiTarget,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly timeoutMs: number = STATEMENT_TIMEOUT_MS,
  ) {}

  async execute(sql: string, params: Record<string, SqlParam> = {}): Promise<Record<string, unknown>[]> {
    const parameters = toSqlParameters(params);
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await awsCall(
          'rds-data',
          'ExecuteStatement',
          (abortSignal) =>
            this.client.send(
              new ExecuteStatementCommand({
                ...this.target,
                sql,
                parameters,
                formatRecordsAs: 'JSON',
              }),
              { abortSignal },
            ),
          this.timeoutMs,
        );
        if (!out.formattedRecords) return [];
        const rows = JSON.parse(out.formattedRecords) as unknown;
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      } catch (e) {
        const retryable =
          e instanceof AwsProviderError && (e.kind === 'unavailable' || e.kind === 'throttled');
        if (!retryable || attempt >= RESUME_RETRIES) throw e;
        await this.sleep(RESUME_BACKOFF_MS * 2 ** attempt);
      }
    }
  }
}
