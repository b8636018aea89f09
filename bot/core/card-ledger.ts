import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoProvider, Item } from '../../providers/aws/types';
import type { ChatRef, IncidentNotice } from '../../providers/domain';

/**
 * The sort key of a surface's card item in workflow_state (PK: the incident id): who posts the card,
 * and the newest notice it shows. Stored data depends on it (`BOT#slack#card`, `BOT#teams#card`).
 */
export const cardSortKey = (surface: ChatRef['surface']) => `BOT#${surface}#card`;

/** Kinds whose reply in the card's thread adds something the card's status line cannot hold. */
export const THREAD_KINDS: ReadonlySet<IncidentNotice['kind']> = new Set<IncidentNotice['kind']>([
  'approved',
  'rejected',
  'expired',
  'resolved',
  'not_resolved',
  'escalated',
  'failed',
  'rolled_back',
]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CardLedgerOptions {
  /** The clock for `claimed_at` (the runtime's). */
  now?: () => Date;
  /** How long a notice that lost the claim waits for the winner's card to exist (ms). */
  wait_ms?: number;
  /** How often it looks meanwhile (ms). */
  poll_ms?: number;
  /**
   * A claim older than this (ms, default 2 min — longer than any post with its retries) whose card
   * cannot be found was lost: the card is looked up (reconcile) or, if none exists, posted anew.
   */
  stale_ms?: number;
  /** How messages name the card ("card", "Teams card"). */
  name?: string;
  /** Where `show` says that an older notice was not shown. */
  logger?: Logger;
}

/** The surface's part of showing a notice: where the card is, and how to post and update it. */
export interface CardSteps<Place, Target, Posted> {
  /** Where the card already is; undefined while it is not posted (or still being posted). */
  find(): Promise<Place | undefined>;
  /** Where a first card would go; undefined when there is nowhere yet (nothing is claimed, nothing shown). */
  target(): Promise<Target | undefined>;
  /** Fields stored with the claim (e.g. the conversation the card goes to). */
  claimFields?(target: Target): Item;
  /** Posts the first card. Throwing gives the claim back, so a retry (Lambda's, or the next notice) can post. */
  post(target: Target): Promise<Posted>;
  /** Records and completes a posted card; the claim stays even if this throws (the card exists). */
  afterPost(target: Target, posted: Posted): Promise<void>;
  /** Shows the notice on the existing card (only when it is not older than the one shown). */
  update(place: Place): Promise<void>;
  /**
   * Finds a card that was posted but whose ref was never recorded (the write after the post was lost),
   * e.g. Slack's conversations.history by message metadata, and records it. Undefined: not posted.
   */
  reconcile?(): Promise<Place | undefined>;
}

export type CardOutcome = 'posted' | 'updated' | 'stale' | 'no_target';

export interface CardLedger {
  readonly sort_key: string;
  /** The card item, if any. */
  get(incident_id: string): Promise<Item | undefined>;
  /** Conditional write: of any number of racing claims for an incident, exactly one gets true. */
  claim(incident_id: string, at: string, fields?: Item): Promise<boolean>;
  /** Gives a claim back (the first post failed). */
  release(incident_id: string): Promise<void>;
  /** Takes over a stale claim (conditional on its claimed_at): of racing takers, one wins. */
  takeOver(incident_id: string, claimed_at: string): Promise<boolean>;
  /** Adds attributes to the card item (e.g. the posted message's id). */
  record(incident_id: string, fields: Record<string, string>): Promise<void>;
  /** Polls `find` until it yields a place or the wait limit passes (then undefined). */
  waitForPlacement<Place>(find: () => Promise<Place | undefined>): Promise<Place | undefined>;
  /**
   * Records `at` as the newest notice shown, unless a newer one already is. False means the notice is
   * stale: showing it would roll the card back. Check and write are one conditional update, so racing
   * notices cannot both pass with the older one last.
   */
  recordShown(incident_id: string, at: string): Promise<boolean>;
  /**
   * Shows a notice: the first notice of an incident posts the card (one winner among racing ones); the
   * others wait for it, then update it in place unless they are older than what it shows.
   */
  show<Place, Target, Posted>(
    notice: IncidentNotice,
    steps: CardSteps<Place, Target, Posted>,
  ): Promise<CardOutcome>;
}

/** The card bookkeeping both chat surfaces share, on the `workflow_state` table. */
export function createCardLedger(
  dynamo: DynamoProvider,
  surface: ChatRef['surface'],
  opts: CardLedgerOptions = {},
): CardLedger {
  const sort_key = cardSortKey(surface);
  const key = (incident_id: string) => ({ workflow_id: incident_id, timestamp: sort_key });
  const name = opts.name ?? 'card';
  const now = opts.now ?? (() => new Date());

  const ledger: CardLedger = {
    sort_key,
    get: (incident_id) => dynamo.get('workflow_state', key(incident_id)),

    async claim(incident_id, at, fields = {}) {
      const r = await dynamo.put(
        'workflow_state',
        { ...key(incident_id), last_at: at, ...fields, claimed_at: now().toISOString() },
        { expression: 'attribute_not_exists(workflow_id)' },
      );
      return r.ok;
    },

    async release(incident_id) {
      await dynamo.delete('workflow_state', key(incident_id));
    },

    async takeOver(incident_id, claimed_at) {
      const r = await dynamo.update(
        'workflow_state',
        key(incident_id),
        { expression: 'SET claimed_at = :now', values: { ':now': now().toISOString() } },
        { expression: 'claimed_at = :was', values: { ':was': claimed_at } },
      );
      return r.ok;
    },

    async record(incident_id, fields) {
      const entries = Object.entries(fields);
      if (entries.length === 0) return;
      await dynamo.update('workflow_state', key(incident_id), {
        expression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
        names: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
        values: Object.fromEntries(entries.map(([, v], i) => [`:f${i}`, v])),
      });
    },

    async waitForPlacement(find) {
      // Wall-clock on purpose: the runtime's clock may be a test's movable one that never advances here.
      const deadline = Date.now() + (opts.wait_ms ?? 5_000);
      while (Date.now() < deadline) {
        await sleep(opts.poll_ms ?? 100);
        const place = await find();
        if (place) return place;
      }
      return undefined;
    },

    async recordShown(incident_id, at) {
      const r = await dynamo.update(
        'workflow_state',
        key(incident_id),
        { expression: 'SET last_at = :at', values: { ':at': at } },
        { expression: 'attribute_not_exists(last_at) OR last_at <= :at', values: { ':at': at } },
      );
      return r.ok;
    },

    async show(notice, steps) {
      const incident_id = notice.state.incident.incident_id;
      let place = await steps.find();
      if (!place) {
        const target = await steps.target();
        if (target === undefined) return 'no_target';
        if (await ledger.claim(incident_id, notice.at, steps.claimFields?.(target))) {
          let posted: Awaited<ReturnType<typeof steps.post>>;
          try {
            posted = await steps.post(target);
          } catch (e) {
            await ledger.release(incident_id);
            throw e;
          }
          await steps.afterPost(target, posted);
          return 'posted';
        }
        // A claim older than the wait is not "being posted": its ref was lost, or its poster died.
        const item = await ledger.get(incident_id);
        const claimedAt = Date.parse(String(item?.claimed_at ?? ''));
        const stale = Number.isFinite(claimedAt) && now().getTime() - claimedAt > (opts.stale_ms ?? 120_000);
        if (!stale) place = await ledger.waitForPlacement(steps.find);
        if (!place && steps.reconcile) place = await steps.reconcile();
        if (!place && stale && item && (await ledger.takeOver(incident_id, String(item.claimed_at)))) {
          // Nothing was posted (reconcile found no card): post it now, as the owner of the claim.
          let posted: Awaited<ReturnType<typeof steps.post>>;
          try {
            posted = await steps.post(target);
          } catch (e) {
            await ledger.release(incident_id);
            throw e;
          }
          await steps.afterPost(target, posted);
          return 'posted';
        }
        if (!place)
          throw new Error(
            `incident ${incident_id}: the ${name} is being posted by another worker and did not appear in time`,
          );
      }
      if (!(await ledger.recordShown(incident_id, notice.at))) {
        opts.logger?.info(`older notice not shown: the ${name} already shows a newer state`, {
          incident_id,
          kind: notice.kind,
        });
        return 'stale';
      }
      await steps.update(place);
      return 'updated';
    },
  };
  return ledger;
}
