import { expiresAt, TABLES } from '../../providers/aws/dynamodb/tables';
import type { DynamoProvider } from '../../providers/aws/types';
import type { Anomaly } from '../../providers/domain';

/** bdp-anomaly-tracking items live 7 days (TTL attribute `expires_at`, epoch seconds): the one table definition. */
export const TRACKING_TTL_DAYS = TABLES.anomaly_tracking.ttl_days;
/** A lost race between put and update is retried this many times before giving up. */
const MAX_ATTEMPTS = 3;

export interface TrackResult {
  signature: string;
  /** True for exactly one caller per signature per dedup window: that caller opens the incident. */
  is_new: boolean;
  occurrence_count: number;
  first_seen: string;
  last_seen: string;
}

export interface TrackOptions {
  now: Date;
  /** A signature last seen longer ago than this is a new problem again. */
  window_minutes: number;
  /** The detection run: the run that opened a signature gets is_new again when it is retried. */
  run_id?: string;
}

/**
 * De-duplication in bdp-anomaly-tracking (PK `signature`).
 *
 * 1. Conditional put `attribute_not_exists(signature) OR last_seen < :cutoff`: succeeds only for a
 *    signature unseen within the window, so of any number of concurrent runs exactly one wins → new.
 * 2. Otherwise `ADD occurrence_count :one SET last_seen = :now` on the existing item (conditional on it
 *    still existing) → a repeat. Should the item vanish in between (TTL), the put is tried again.
 *
 * `last_seen` is an ISO-8601 UTC string (always `toISOString()`'s fixed format), so string order is
 * time order in the condition.
 */
export async function trackAnomaly(
  dynamo: DynamoProvider,
  anomaly: Anomaly,
  opts: TrackOptions,
): Promise<TrackResult> {
  const now = opts.now.toISOString();
  const cutoff = new Date(opts.now.getTime() - opts.window_minutes * 60_000).toISOString();
  const expires_at = expiresAt('anomaly_tracking', opts.now);

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const put = await dynamo.put(
      'anomaly_tracking',
      {
        signature: anomaly.signature,
        service: anomaly.service,
        source: anomaly.source,
        anomaly_type: anomaly.kind,
        severity: anomaly.severity,
        summary: anomaly.summary,
        first_seen: now,
        last_seen: now,
        occurrence_count: 1,
        expires_at,
        ...(opts.run_id ? { opened_by: opts.run_id } : {}),
      },
      {
        expression: 'attribute_not_exists(#sig) OR #last < :cutoff',
        names: { '#sig': 'signature', '#last': 'last_seen' },
        values: { ':cutoff': cutoff },
      },
    );
    if (put.ok) {
      return {
        signature: anomaly.signature,
        is_new: true,
        occurrence_count: 1,
        first_seen: now,
        last_seen: now,
      };
    }

    const upd = await dynamo.update(
      'anomaly_tracking',
      { signature: anomaly.signature },
      {
        expression: 'ADD #count :one SET #last = :now, #exp = :exp, #sev = :sev',
        names: {
          '#count': 'occurrence_count',
          '#last': 'last_seen',
          '#exp': 'expires_at',
          '#sev': 'severity',
        },
        values: { ':one': 1, ':now': now, ':exp': expires_at, ':sev': anomaly.severity },
      },
      { expression: 'attribute_exists(#sig)', names: { '#sig': 'signature' } },
    );
    if (upd.ok) {
      const item = upd.attributes ?? {};
      return {
        signature: anomaly.signature,
        // A retry of the run that opened it: still new for that run (else its incidents are lost).
        is_new: opts.run_id !== undefined && item.opened_by === opts.run_id,
        occurrence_count: Number(item.occurrence_count ?? 0),
        first_seen: String(item.first_seen ?? ''),
        last_seen: String(item.last_seen ?? now),
      };
    }
  }
  throw new Error(
    `anomaly tracking: signature ${anomaly.signature} kept changing under concurrent writes (${MAX_ATTEMPTS} attempts)`,
  );
}
