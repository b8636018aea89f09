import type { DynamoProvider } from '../../providers/aws/types';

/** Activity-dedup items live in workflow_state under their own partition prefix, kept a day (TTL). */
export const TEAMS_EVENT_PREFIX = 'EVENT#teams#';
const DEDUP_TTL_S = 24 * 3600;

/**
 * Claims an activity with a conditional write: true the first time, false for the Bot Framework's
 * redeliveries. A storage error propagates: the caller then does no work and the channel retries.
 */
export async function claimActivity(db: DynamoProvider, key: string, now: Date): Promise<boolean> {
  const r = await db.put(
    'workflow_state',
    {
      workflow_id: `${TEAMS_EVENT_PREFIX}${key}`,
      timestamp: 'DEDUP',
      claimed_at: now.toISOString(),
      expires_at: Math.floor(now.getTime() / 1000) + DEDUP_TTL_S,
    },
    { expression: 'attribute_not_exists(workflow_id)' },
  );
  return r.ok;
}
