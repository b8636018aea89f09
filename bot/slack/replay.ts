import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { DynamoProvider } from '../../providers/aws/types';
import { claimEvent } from './dedup';

/**
 * Replay protection beside Bolt's signature check. Bolt refuses requests older than 5 minutes but
 * not ones dated in the future, and a signed request replayed within its 5 minutes verifies again:
 * - a timestamp more than 5 minutes ahead of our clock is refused (401) before Bolt sees it;
 * - a request whose signature was already seen is answered (acked) but not acted on again
 *   (a dedup item keyed by the signature's hash, with a TTL, in workflow_state).
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

/** Global Bolt middleware: the second delivery of one signed request is acked and dropped. */
export function replayGuard(
  db: DynamoProvider,
  now: () => Date,
  onReplay: (facts: SlackRequestFacts) => void,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const facts = args.context as SlackRequestFacts;
    const sig = facts.slack_signature;
    if (sig) {
      const key = `sig:${createHash('sha256').update(sig).digest('hex').slice(0, 40)}`;
      if (!(await claimEvent(db, key, now()))) {
        onReplay(facts);
        const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
        if (ack) await ack();
        return;
      }
    }
    await args.next();
  };
}
