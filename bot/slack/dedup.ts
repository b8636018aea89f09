import type { DynamoProvider } from '../../providers/aws/types';

/** Event-dedup items live in workflow_state under their own partition prefix, kept a day (TTL). */
export const EVENT_PREFIX = 'EVENT#slack#';
export const EVENT_SK = 'DEDUP';
const DEDUP_TTL_S = 24 * 3600;

/**
 * Claims an event key with a conditional write: true the first time, false for Slack's retries and
 * duplicate deliveries (the same message as both `message` and `app_mention`). A storage error
 * propagates: the caller then does no work and Slack retries.
 */
export async function claimEvent(db: DynamoProvider, key: string, now: Date): Promise<boolean> {
  const r = await db.put(
    'workflow_state',
    {
      workflow_id: `${EVENT_PREFIX}${key}`,
      timestamp: EVENT_SK,
      claimed_at: now.toISOString(),
      expires_at: Math.floor(now.getTime() / 1000) + DEDUP_TTL_S,
    },
    { expression: 'attribute_not_exists(workflow_id)' },
  );
  return r.ok;
}
