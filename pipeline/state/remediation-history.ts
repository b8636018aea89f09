import type { DynamoProvider, Item } from '../../providers/aws/types';
import { RemediationResult } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { HISTORY_TTL_DAYS, ttlAfter } from './items';
import '../../providers/aws/clients/dynamodb';

const T = 'remediation_history' as const;
/** Milliseconds tried after a taken sort key before giving up (a burst on one resource). */
const MAX_KEY_ATTEMPTS = 50;

/** A history row: the remediation result plus the service it was for. */
export type HistoryRecord = RemediationResult & { service: string; history_id: string };

/** `resource_id@execution_time`: the opaque id of one history row (what `rollback` takes). */
export const historyId = (resource_id: string, execution_time: string) => `${resource_id}@${execution_time}`;

export function parseHistoryId(id: string): { resource_id: string; execution_time: string } | undefined {
  const at = id.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { resource_id: id.slice(0, at), execution_time: id.slice(at + 1) };
}

export interface RemediationHistoryStore {
  /**
   * Writes one history row; returns it with the sort key actually used (moved to the next free
   * millisecond when another execution holds the same one).
   */
  record(result: RemediationResult, service: string): Promise<HistoryRecord>;
  get(resource_id: string, execution_time: string): Promise<HistoryRecord | undefined>;
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
      execution_time: item.execution_time,
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
    return {
      ...result,
      service: String(item.service ?? ''),
      history_id: historyId(result.resource_id, result.execution_time),
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
  return {
    async record(result, service) {
      const r = RemediationResult.parse(result);
      const item: Item = {
        resource_id: r.resource_id,
        execution_time: r.execution_time,
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
      // Two executions on one resource in the same millisecond must not overwrite each other: the later
      // one moves to the next free millisecond (the same execution rewriting its row is idempotent).
      let at = Date.parse(r.execution_time);
      for (let attempt = 0; attempt < MAX_KEY_ATTEMPTS; attempt++) {
        const execution_time = new Date(at).toISOString();
        const w = await db.put(
          T,
          { ...item, execution_time },
          {
            expression: 'attribute_not_exists(#sk) OR #eid = :eid',
            names: { '#sk': 'execution_time', '#eid': 'execution_id' },
            values: { ':eid': r.execution_id },
          },
        );
        if (w.ok)
          return { ...r, execution_time, service, history_id: historyId(r.resource_id, execution_time) };
        at += 1;
      }
      throw new Error(
        `remediation_history: no free key for ${r.resource_id} near ${r.execution_time} (${MAX_KEY_ATTEMPTS} taken)`,
      );
    },
    async get(resource_id, execution_time) {
      const item = await db.get(T, { resource_id, execution_time });
      return item ? parse(item) : undefined;
    },
    async getById(history_id) {
      const k = parseHistoryId(history_id);
      if (!k) return undefined;
      const item = await db.get(T, k);
      return item ? parse(item) : undefined;
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
      const items = await db.query(T, { partition_value: resource_id, sort: { op: '>=', value: since } });
      return items.map(parse);
    },
    async countExecutedSince(resource_id, since) {
      const items = await db.query(T, {
        partition_value: resource_id,
        sort: { op: '>=', value: since.toISOString() },
      });
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
