import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { DynamoProvider } from '../../providers/aws/types';
import { claimEvent } from './dedup';

/**
 * Replay protection beside Bolt's signature check. Bolt refuses requests older than 5 minutes but
 * not ones dated in the future, and a signed request replayed within its 5 minutes verifies again:
 * - a timestamp more than 5 minutes ahead of our clock is refused (401) before Bolt sees it;
 * - a request whose signature was already seen is answered (acked) but not acted on again: each job
 *   carries the signature's hash and the worker claims it (a dedup item with a TTL, in workflow_state).
 */
export const MAX_SKEW_S = 300;

export interface SlackRequestFacts {
  slack_signature?: string;
  slack_request_ts?: string;
}

type HeaderBag = IncomingHttpHeaders | Record<string, string | string[] | undefined> | undefined | null;

function header(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : (v ?? undefined);
  return undefined;
}

/** `customPropertiesExtractor` for Bolt's receivers: the two headers the replay check needs. */
export function slackRequestFacts(req: { headers?: HeaderBag }): SlackRequestFacts {
  return {
    slack_signature: header(req.headers, 'x-slack-signature'),
    slack_request_ts: header(req.headers, 'x-slack-request-timestamp'),
  };
}

/** True when the request's timestamp is more than 5 minutes in the future (refuse with 401). */
export function isFromTheFuture(headers: HeaderBag, now: Date): boolean {
  const ts = Number(header(headers, 'x-slack-request-timestamp'));
  return Number.isFinite(ts) && ts > Math.floor(now.getTime() / 1000) + MAX_SKEW_S;
}

/**
 * The replay key of a signed request (hash of its signature), or undefined without one. The ingress
 * reads nothing, so it only puts the key on the job; the worker claims it (`claimReplay`) before
 * acting, and a second delivery of the same signed bytes is dropped there.
 */
export function replayKey(facts: SlackRequestFacts | undefined): string | undefined {
  const sig = facts?.slack_signature;
  return sig ? `sig:${createHash('sha256').update(sig).digest('hex').slice(0, 40)}` : undefined;
}

/** True the first time a replay key is seen (conditional write with a TTL), false for a replay. */
export function claimReplay(db: DynamoProvider, key: string, now: Date): Promise<boolean> {
  return claimEvent(db, key, now);
}
