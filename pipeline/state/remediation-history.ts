import type { DynamoProvider, Item } from '../../providers/aws/types';
import { RemediationResult } from '../../providers/domain';
import { isUlid, monotonicUlid, ulidLowerBound, ulidUpperBound } from '../../providers/ids/ulid';
import type { Runtime } from '../../providers/runtime';
import { HISTORY_TTL_DAYS, ttlAfter } from './items';
import '../../providers/aws/clients/dynamodb';

const T = 'remediation_history' as const;
/** Fresh keys tried when a conditional put finds its key taken (another process, same ULID). */
const MAX_KEY_ATTEMPTS = 5;

/**
 * Row keys. The sort key attribute is still named `execution_time` (a string; no table change), but
 * since issue 16 it holds a ULID whose time prefix is the execution time: two writes for one
 * resource in one millisecond get two keys that sort in write order. The ISO time itself is in
 * `executed_at`. Rows written before hold an ISO time as the key and no `executed_at`: they stay
 * readable (the key is their time) and, since every ISO key ("2…") sorts after every ULID ("0…"),
 * range reads fetch them too and filter by time.
 */
const nextUlid = monotonicUlid();

/** A history row: the remediation result plus the service it was for. */
export type HistoryRecord = RemediationResult & { service: string; history_id: string; history_key: string };

/** `resource_id@history_key`: the opaque id of one history row (what `rollback` takes). */
export const historyId = (resource_id: string, history_key: string) => `${resource_id}@${history_key}`;

export function parseHistoryId(id: string): { resource_id: string; execution_time: string } | undefined {
  const at = id.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { resource_id: id.slice(0, at), execution_time: id.slice(at + 1) };
}

/** The lowest sort key a row at or after `since` can have (a time bound as a key bound). */
export function historyKeyLowerBound(since: Date | string): string {
  const ms = typeof since === 'string' ? Date.parse(since) : since.getTime();
  // An unreadable bound reads everything (then filtered by time) rather than failing the read.
  return Number.isFinite(ms) && ms >= 0 ? ulidLowerBound(Math.min(ms, 2 ** 48 - 1)) : '0';
}

/** The ISO time of a raw history item, whichever key scheme wrote it. */
export const historyItemTime = (item: Item): string => String(item.executed_at ?? item.execution_time ?? '');

export interface RemediationHistoryStore {
  /**
   * Writes one history row under a fresh ULID key (the same execution recording again at the same
   * time rewrites its own row); returns it with `history_key` set.
   */
  record(result: RemediationResult, service: string): Promise<HistoryRecord>;
  /**
   * One row by its key: a `history_key` (ULID), or an ISO time for rows written before ULID keys
   * (and for a time held by exactly one row; several rows in that millisecond → undefined).
   */
  get(resource_id: string, key: string): Promise<HistoryRecord | undefined>;
  getById(history_id: string): Promise<HistoryRecord | undefined>;
  /** The newest `n` rows for a service (`/bdp history <service>`). */
  listForService(service: string, n?: number): Promise<HistoryRecord[]>;
  /** Every row of a resource from `since` on, oldest first (who changed it after a remediation). */
  listForResourceSince(resource_id: string, since: string): Promise<HistoryRecord[]>;
  /** Executed (not dry-run, not refused) actions on a resource since `since`, for the rate limit. */
  countExecutedSince(resource_id: string, since: Date): Promise<number>;
  /**
   * Takes the right to roll a row back, exactly once: `rollback_available true → false` with a
   * conditional write. False when it was already taken (or never available).
   */
  claimRollback(resource_id: string, execution_time: string, actor: string): Promise<boolean>;
  /** Gives the right back after a rollback that did not happen (refused or failed before acting). */
  releaseRollback(resource_id: string, execution_time: string): Promise<void>;
}

function parse(item: Item): HistoryRecord {
  try {
    const result = RemediationResult.parse({
      incident_id: item.incident_id,
      execution_id: item.execution_id,
      resource_id: item.resource_id,
      execution_time: historyItemTime(item),
      action: item.action_type,
      parameters: JSON.parse(String(item.parameters_json ?? '{}')),
      dry_run: item.dry_run,
      status: item.result,
      previous_state: item.previous_state_json ? JSON.parse(String(item.previous_state_json)) : undefined,
      new_state: item.new_state_json ? JSON.parse(String(item.new_state_json)) : undefined,
      rollback_available: item.rollback_available,
      error: item.error ?? undefined,
      executed_by: item.executed_by ?? undefined,
    });
    const history_key = String(item.execution_time);
    return {
      ...result,
      history_key,
      service: String(item.service ?? ''),
      history_id: historyId(result.resource_id, history_key),
    };
  } catch (e) {
    throw new Error(
      `remediation_history: row ${String(item.resource_id)}@${String(item.execution_time)} is unreadable (${(e as Error).message})`,
    );
  }
}

/** The remediation history on `rt.aws.dynamo` (table `remediation_history`, PK resource_id, SK execution_time). */
export function createRemediationHistoryStore(rt: Pick<Runtime, 'aws' | 'now'>): RemediationHistoryStore {
  const db: DynamoProvider = rt.aws.dynamo;
  /** Rows of a resource at or after `since` (ISO): a key range from the ULID bound, then by time. */
  const itemsSince = async (resource_id: string, since: string) =>
    (
      await db.query(T, {
        partition_value: resource_id,
        sort: { op: '>=', value: historyKeyLowerBound(since) },
      })
    ).filter((i) => historyItemTime(i) >= since);
  async function get(resource_id: string, key: string): Promise<HistoryRecord | undefined> {
    const direct = await db.get(T, { resource_id, execution_time: key });
    if (direct) return parse(direct);
    if (isUlid(key)) return undefined;
    const ms = Date.parse(key);
    if (Number.isNaN(ms)) return undefined;
    const at = (
      await db.query(T, {
        partition_value: resource_id,
        sort: { op: 'between', value: ulidLowerBound(ms), value2: ulidUpperBound(ms) },
      })
    ).filter((i) => historyItemTime(i) === key);
    return at.length === 1 ? parse(at[0]) : undefined;
  }
  return {
    async record(result, service) {
      const r = RemediationResult.parse(result);
      const item: Item = {
        resource_id: r.resource_id,
        executed_at: r.execution_time,
        incident_id: r.incident_id,
        execution_id: r.execution_id,
        service,
        action_type: r.action,
        parameters_json: JSON.stringify(r.parameters),
        dry_run: r.dry_run,
        result: r.status,
        rollback_available: r.rollback_available,
        executed_by: r.executed_by,
        expires_at: ttlAfter(rt.now(), HISTORY_TTL_DAYS),
      };
      if (r.previous_state) item.previous_state_json = JSON.stringify(r.previous_state);
      if (r.new_state) item.new_state_json = JSON.stringify(r.new_state);
      if (r.error) item.error = r.error;
      const ms = Date.parse(r.execution_time);
      // The same execution recording again (a retried step) rewrites its own row, found by time.
      const same = (
        await db.query(T, {
          partition_value: r.resource_id,
          sort: { op: 'between', value: ulidLowerBound(ms), value2: ulidUpperBound(ms) },
        })
      ).find((i) => i.execution_id === r.execution_id && historyItemTime(i) === r.execution_time);
      for (let attempt = 0; attempt < MAX_KEY_ATTEMPTS; attempt++) {
        const key = same ? String(same.execution_time) : nextUlid(ms);
        const w = await db.put(
          T,
          { ...item, execution_time: key },
          {
            expression: 'attribute_not_exists(#sk) OR #eid = :eid',
            names: { '#sk': 'execution_time', '#eid': 'execution_id' },
            values: { ':eid': r.execution_id },
          },
        );
        if (w.ok) return { ...r, service, history_key: key, history_id: historyId(r.resource_id, key) };
      }
      throw new Error(`remediation_history: no free key for ${r.resource_id} at ${r.execution_time}`);
    },
    get,
    async getById(history_id) {
      const k = parseHistoryId(history_id);
      return k ? get(k.resource_id, k.execution_time) : undefined;
    },
    async listForService(service, n = 10) {
      // No index on service: the table is small (90-day TTL) and this serves a person's command.
      const items = await db.scan(T, {
        expression: '#svc = :svc',
        names: { '#svc': 'service' },
        values: { ':svc': service },
      });
      return items
        .map(parse)
        .sort((a, b) => b.execution_time.localeCompare(a.execution_time))
        .slice(0, Math.max(0, n));
    },
    async listForResourceSince(resource_id, since) {
      return (await itemsSince(resource_id, since))
        .map(parse)
        .sort((a, b) => a.execution_time.localeCompare(b.execution_time));
    },
    async countExecutedSince(resource_id, since) {
      const items = await itemsSince(resource_id, since.toISOString());
      return items.filter((i) => i.result === 'executed').length;
    },
    async claimRollback(resource_id, execution_time, actor) {
      const w = await db.update(
        T,
        { resource_id, execution_time },
        {
          expression: 'SET #ra = :no, #by = :by, #at = :at',
          names: {
            '#ra': 'rollback_available',
            '#by': 'rollback_by',
            '#at': 'rollback_at',
            '#res': 'result',
          },
          values: {
            ':no': false,
            ':yes': true,
            ':by': actor,
            ':at': rt.now().toISOString(),
            ':executed': 'executed',
          },
        },
        {
          expression: '#ra = :yes AND #res = :executed',
          names: { '#ra': 'rollback_available', '#res': 'result' },
          values: { ':yes': true, ':executed': 'executed' },
        },
      );
      return w.ok;
    },
    async releaseRollback(resource_id, execution_time) {
      await db.update(
        T,
        { resource_id, execution_time },
        {
          expression: 'SET #ra = :yes REMOVE #by, #at',
          names: { '#ra': 'rollback_available', '#by': 'rollback_by', '#at': 'rollback_at' },
          values: { ':yes': true },
        },
      );
    },
  };
}
