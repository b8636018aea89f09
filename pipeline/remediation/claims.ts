import { RemediationResult } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { ttlAfter, WORKFLOW_TTL_DAYS } from '../state/items';
import '../../providers/aws/clients/dynamodb';

/**
 * Idempotency of the remediate task: before acting, claim `CLAIM#<execution key>` in workflow_state
 * with a conditional write. A retried task (or a second run after a crash) finds the claim and never
 * acts again: it gets the stored result, or — if the first attempt died between acting and
 * recording — a failure that sends the incident to a person.
 *
 * Why not @aws-lambda-powertools/idempotency: its in-progress record expires with the Lambda timeout,
 * after which a retry runs the handler again — for a remediation that died between acting and
 * recording that is a second, unreviewed change to production. This claim never expires into a
 * re-run (`interrupted` goes to a person: fail closed), is keyed by what must not repeat (execution,
 * incident, replan) rather than a payload hash, and lives in the incident's own partition with the
 * history. The same conditional-write pattern guards approvals and rollbacks.
 */
export type Claim =
  | { kind: 'claimed' }
  | { kind: 'done'; result: RemediationResult }
  | { kind: 'interrupted'; claimed_at: string };

const key = (incident_id: string, execution_key: string) => ({
  workflow_id: incident_id,
  timestamp: `CLAIM#${execution_key}`,
});

export async function claimExecution(
  rt: Pick<Runtime, 'aws' | 'now'>,
  incident_id: string,
  execution_key: string,
): Promise<Claim> {
  const now = rt.now();
  const w = await rt.aws.dynamo.put(
    'workflow_state',
    {
      ...key(incident_id, execution_key),
      claimed_at: now.toISOString(),
      expires_at: ttlAfter(now, WORKFLOW_TTL_DAYS),
    },
    { expression: 'attribute_not_exists(#pk)', names: { '#pk': 'workflow_id' } },
  );
  if (w.ok) return { kind: 'claimed' };
  const item = await rt.aws.dynamo.get('workflow_state', key(incident_id, execution_key));
  if (item?.result_json)
    return { kind: 'done', result: RemediationResult.parse(JSON.parse(String(item.result_json))) };
  return { kind: 'interrupted', claimed_at: String(item?.claimed_at ?? 'unknown') };
}

export async function completeClaim(
  rt: Pick<Runtime, 'aws'>,
  incident_id: string,
  execution_key: string,
  result: RemediationResult,
): Promise<void> {
  await rt.aws.dynamo.update('workflow_state', key(incident_id, execution_key), {
    expression: 'SET #r = :r',
    names: { '#r': 'result_json' },
    values: { ':r': JSON.stringify(result) },
  });
}

/** A rate-limit slot of one resource: `LIMIT#<resource>` / `SLOT#<n>`, holding when it was last used. */
const slotKey = (resource_id: string, slot: number) => ({
  workflow_id: `LIMIT#${resource_id}`,
  timestamp: `SLOT#${String(slot).padStart(3, '0')}`,
});

export type RateClaim = { ok: true; slot: number } | { ok: false; reason: string };

/**
 * Claims one of the `limit` actions a resource may take per hour, BEFORE acting. Each slot is one
 * item taken with a conditional write (free, or last used more than an hour ago), so concurrent
 * attempts from different incidents serialise on DynamoDB: exactly `limit` win in any hour, the rest
 * are refused with the reason. A sliding hour, not a calendar hour.
 */
export async function claimRateSlot(
  rt: Pick<Runtime, 'aws' | 'now'>,
  resource_id: string,
  limit: number,
  claimant: string,
): Promise<RateClaim> {
  const now = rt.now();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  for (let slot = 0; slot < limit; slot++) {
    const w = await rt.aws.dynamo.update(
      'workflow_state',
      slotKey(resource_id, slot),
      {
        expression: 'SET #used = :now, #by = :by, #exp = :exp',
        names: { '#used': 'used_at', '#by': 'claimed_by', '#exp': 'expires_at' },
        values: { ':now': now.toISOString(), ':by': claimant, ':exp': ttlAfter(now, 1) },
      },
      {
        expression: 'attribute_not_exists(#used) OR #used < :hour_ago',
        names: { '#used': 'used_at' },
        values: { ':hour_ago': hourAgo },
      },
    );
    if (w.ok) return { ok: true, slot };
  }
  return {
    ok: false,
    reason: `rate limit: max_auto_actions_per_resource_per_hour (${limit}) reached for ${resource_id}; not acting`,
  };
}
