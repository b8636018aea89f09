import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoProvider, Item } from '../../providers/aws/types';
import { IncidentNotice } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { getChatNotifier } from './notifier';

/**
 * The chat delivery outbox (workflow_state items, so it needs no table of its own):
 *   PK incident id, SK `OUTBOX#<notice.at>#<kind>` — the notice, which surfaces showed it, attempts;
 *   PK `OUTBOX#pending`, SK `<notice.at>#<incident>#<kind>` — an index of what is not delivered yet.
 * Every notice is written here before anyone tries to post it; the poster marks each surface done;
 * a sweeper on the detection schedule hands what is still pending to the worker again. So a card
 * that could not be posted (Slack 5xx for minutes, a DLQ'd job) is posted when chat recovers.
 */
export const OUTBOX_PENDING_PK = 'OUTBOX#pending';
export const outboxSortKey = (n: Pick<IncidentNotice, 'at' | 'kind'>) => `OUTBOX#${n.at}#${n.kind}`;
const pendingSortKey = (n: IncidentNotice) => `${n.at}#${n.state.incident.incident_id}#${n.kind}`;

/** Outbox items live as long as the workflow state (30 days). */
const TTL_SECONDS = 30 * 86_400;

export interface OutboxEntry {
  notice: IncidentNotice;
  /** surface → when it showed the notice. */
  delivered: Record<string, string>;
  attempts: number;
  created_at: string;
  last_error?: string;
}

export interface Outbox {
  /** Writes the notice (idempotent: the same notice twice is one item) and indexes it as pending. */
  enqueue(notice: IncidentNotice): Promise<void>;
  get(notice: IncidentNotice): Promise<OutboxEntry | undefined>;
  markDelivered(notice: IncidentNotice, surface: string): Promise<void>;
  /** Every surface showed it: off the pending index. */
  complete(notice: IncidentNotice): Promise<void>;
  recordFailure(notice: IncidentNotice, error: string): Promise<void>;
  /** Pending notices written before `before`, oldest first. */
  pending(before: Date, limit?: number): Promise<OutboxEntry[]>;
}

export function createOutbox(dynamo: DynamoProvider, now: () => Date = () => new Date()): Outbox {
  const key = (n: IncidentNotice) => ({
    workflow_id: n.state.incident.incident_id,
    timestamp: outboxSortKey(n),
  });
  const pendingKey = (n: IncidentNotice) => ({
    workflow_id: OUTBOX_PENDING_PK,
    timestamp: pendingSortKey(n),
  });
  const toEntry = (item: Item | undefined): OutboxEntry | undefined => {
    if (!item || typeof item.notice_json !== 'string') return undefined;
    const parsed = IncidentNotice.safeParse(JSON.parse(item.notice_json));
    if (!parsed.success) return undefined;
    return {
      notice: parsed.data,
      delivered: (item.delivered ?? {}) as Record<string, string>,
      attempts: Number(item.attempts ?? 0),
      created_at: String(item.created_at ?? ''),
      last_error: typeof item.last_error === 'string' ? item.last_error : undefined,
    };
  };
  const ttl = () => Math.floor(now().getTime() / 1000) + TTL_SECONDS;

  return {
    async enqueue(notice) {
      const created_at = now().toISOString();
      await dynamo.put(
        'workflow_state',
        {
          ...key(notice),
          item_type: 'outbox',
          notice_json: JSON.stringify(notice),
          delivered: {},
          attempts: 0,
          created_at,
          expires_at: ttl(),
        },
        { expression: 'attribute_not_exists(workflow_id)' },
      );
      await dynamo.put('workflow_state', {
        ...pendingKey(notice),
        item_type: 'outbox_pending',
        incident_id: notice.state.incident.incident_id,
        outbox_sk: outboxSortKey(notice),
        created_at,
        expires_at: ttl(),
      });
    },

    get: async (notice) => toEntry(await dynamo.get('workflow_state', key(notice))),

    async markDelivered(notice, surface) {
      await dynamo.update('workflow_state', key(notice), {
        expression: 'SET delivered.#s = :at',
        names: { '#s': surface },
        values: { ':at': now().toISOString() },
      });
    },

    async complete(notice) {
      await dynamo.update('workflow_state', key(notice), {
        expression: 'SET delivered_at = :at',
        values: { ':at': now().toISOString() },
      });
      await dynamo.delete('workflow_state', pendingKey(notice));
    },

    async recordFailure(notice, error) {
      await dynamo.update('workflow_state', key(notice), {
        expression: 'SET attempts = if_not_exists(attempts, :zero) + :one, last_error = :e',
        values: { ':zero': 0, ':one': 1, ':e': error.slice(0, 500) },
      });
    },

    async pending(before, limit = 50) {
      const rows = await dynamo.query('workflow_state', {
        partition_value: OUTBOX_PENDING_PK,
        sort: { op: '<=', value: `${before.toISOString()}~` },
        limit,
      });
      const out: OutboxEntry[] = [];
      for (const r of rows) {
        const item = await dynamo.get('workflow_state', {
          workflow_id: String(r.incident_id),
          timestamp: String(r.outbox_sk),
        });
        const e = toEntry(item);
        if (e) out.push(e);
        // An index row whose item is gone (expired) is dropped, never retried forever.
        else
          await dynamo.delete('workflow_state', {
            workflow_id: OUTBOX_PENDING_PK,
            timestamp: String(r.timestamp),
          });
      }
      return out;
    },
  };
}

// ── Posting with backoff ──────────────────────────────────────────────────────────────────────────

export interface RetryOptions {
  /** Called once per surface that still failed after every attempt (the ChatDeliveryFailures metric). */
  onFailure?: (surface: string) => void;
  attempts?: number;
  base_ms?: number;
  max_ms?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How long the chat API asked us to wait, in ms, found anywhere on the error or its causes:
 * Slack's WebClient (`retryAfter`, seconds), an HTTP error with headers (`retry-after`), a body
 * field (`retry_after`).
 */
export function retryAfterMs(e: unknown): number | undefined {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const o = cur as Record<string, unknown>;
    const headers = (o.headers ?? (o.response as Record<string, unknown> | undefined)?.headers) as
      | Record<string, unknown>
      | undefined;
    const raw = o.retryAfter ?? o.retry_after ?? headers?.['retry-after'] ?? headers?.['Retry-After'];
    const s = Number(raw);
    if (raw !== undefined && Number.isFinite(s) && s >= 0) return s * 1000;
    cur = o.cause;
  }
  return undefined;
}

const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` up to `attempts` times: exponential backoff with jitter, or the server's Retry-After when given. */
export async function withBackoff<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const base = opts.base_ms ?? 500;
  const max = opts.max_ms ?? 10_000;
  const sleep = opts.sleep ?? sleepMs;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      if (i === attempts - 1) break;
      const asked = retryAfterMs(e);
      const backoff = Math.min(max, base * 2 ** i) * (0.5 + Math.random() / 2);
      await sleep(asked !== undefined ? Math.min(asked, 60_000) : backoff);
    }
  }
  throw last;
}

// ── Delivering one notice to the surfaces ─────────────────────────────────────────────────────────

export interface NoticeSink {
  surface: string;
  deliver(notice: IncidentNotice): Promise<void>;
}

const logger = new Logger({ serviceName: 'bdp-outbox' });

/**
 * Shows a notice on every surface that has not shown it yet (per the outbox item), each with
 * backoff; marks each success, completes the item when all are done. A surface that still fails
 * leaves the item pending for the sweeper and the error is rethrown (the async invoke retries, then
 * the DLQ, whose alarm a person sees).
 */
export async function deliverFromOutbox(
  outbox: Outbox,
  notice: IncidentNotice,
  sinks: NoticeSink[],
  retry: RetryOptions = {},
): Promise<void> {
  const incident_id = notice.state.incident.incident_id;
  let entry = await outbox.get(notice);
  if (!entry) {
    // Written by an older publisher (or the item expired): put it in the outbox now.
    await outbox.enqueue(notice);
    entry = await outbox.get(notice);
  }
  const done = entry?.delivered ?? {};
  const errors: unknown[] = [];
  for (const s of sinks) {
    if (done[s.surface]) continue;
    try {
      await withBackoff(() => s.deliver(notice), retry);
      await outbox.markDelivered(notice, s.surface);
    } catch (e) {
      errors.push(e);
      retry.onFailure?.(s.surface);
      logger.warn('notice not delivered; it stays in the outbox', {
        incident_id,
        kind: notice.kind,
        surface: s.surface,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  if (errors.length === 0) {
    await outbox.complete(notice);
    return;
  }
  const first = errors[0];
  await outbox.recordFailure(notice, first instanceof Error ? first.message : String(first));
  throw first;
}

/**
 * The sweeper: every pending notice older than `min_age_ms` goes to `republish` again (the worker,
 * which skips surfaces already done). Notices past `max_attempts` stay pending and are counted as
 * stuck, for the alarm. Returns what it did.
 */
export async function sweepOutbox(
  outbox: Outbox,
  republish: (notice: IncidentNotice) => Promise<void>,
  opts: { now: Date; min_age_ms?: number; max_attempts?: number; limit?: number },
): Promise<{ republished: number; stuck: number; failed: number }> {
  const before = new Date(opts.now.getTime() - (opts.min_age_ms ?? 60_000));
  const pending = await outbox.pending(before, opts.limit ?? 50);
  let republished = 0;
  let stuck = 0;
  let failed = 0;
  for (const e of pending) {
    if (e.attempts >= (opts.max_attempts ?? 50)) {
      stuck++;
      continue;
    }
    try {
      await republish(e.notice);
      republished++;
    } catch (err) {
      failed++;
      logger.warn('sweeper could not hand a notice on; next sweep retries', {
        incident_id: e.notice.state.incident.incident_id,
        kind: e.notice.kind,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return { republished, stuck, failed };
}

/** The sweep the scheduled Detect run does first: pending notices older than a minute go to the notifier again. */
export async function sweepChatOutbox(
  rt: Pick<Runtime, 'aws' | 'config' | 'now'>,
  opts: { min_age_ms?: number } = {},
): Promise<{ republished: number; stuck: number; failed: number }> {
  const notifier = getChatNotifier(rt);
  return sweepOutbox(
    createOutbox(rt.aws.dynamo, () => rt.now()),
    (n) => notifier.publish(n),
    {
      now: rt.now(),
      min_age_ms: opts.min_age_ms,
    },
  );
}
