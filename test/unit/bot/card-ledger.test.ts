import type { Logger } from '@aws-lambda-powertools/logger';
import { type CardSteps, cardSortKey, createCardLedger } from '../../../bot/core';
import { DocumentDynamoProvider, type LocalDynamo, startLocalDynamo } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import type { IncidentNotice } from '../../../providers/domain';
import { incidentState } from '../../integration/slack/fixtures';

let local: LocalDynamo;
let dynamo: DocumentDynamoProvider;
beforeAll(async () => {
  const config = loadConfig({});
  local = await startLocalDynamo(config);
  dynamo = new DocumentDynamoProvider(local.client, config);
});
afterAll(async () => {
  await local.close();
});

let seq = 0;
const newIncident = () => `inc-ledger-${Date.now().toString(36)}-${++seq}`;
const at = (s: number) => new Date(Date.UTC(2026, 10, 26, 9, 0, s)).toISOString();
const notice = (id: string, kind: IncidentNotice['kind'], when: string): IncidentNotice => ({
  kind,
  at: when,
  state: incidentState({ id }),
  chat_refs: [],
});

/** A fake surface: one "channel", cards as an array; `find` sees a card once it is recorded. */
function fakeSurface() {
  const cards: { id: string; shown: string[] }[] = [];
  let placed: string | undefined;
  const steps = (n: IncidentNotice): CardSteps<string, string, string> => ({
    find: async () => placed,
    target: async () => 'C-INCIDENTS',
    post: async () => {
      // Let racing notices reach their claim while this one is "on the wire".
      await new Promise((r) => setTimeout(r, 30));
      const id = `card-${cards.length + 1}`;
      cards.push({ id, shown: [n.kind] });
      return id;
    },
    afterPost: async (_t, id) => {
      placed = id;
    },
    update: async (id) => {
      cards.find((c) => c.id === id)?.shown.push(n.kind);
    },
  });
  return { cards, steps };
}

test('the sort keys stay those of the stored data', () => {
  expect(cardSortKey('slack')).toBe('BOT#slack#card');
  expect(cardSortKey('teams')).toBe('BOT#teams#card');
  expect(createCardLedger(dynamo, 'teams').sort_key).toBe('BOT#teams#card');
});

test('two racing claims for one incident: exactly one wins, and the item is under the surface key', async () => {
  const ledger = createCardLedger(dynamo, 'slack');
  const id = newIncident();
  const results = await Promise.all([
    ledger.claim(id, at(1), { who: 'a' }),
    ledger.claim(id, at(2), { who: 'b' }),
  ]);
  expect(results.filter(Boolean)).toHaveLength(1);
  const item = await dynamo.get('workflow_state', { workflow_id: id, timestamp: 'BOT#slack#card' });
  expect(item?.who).toBe(results[0] ? 'a' : 'b');
  expect(typeof item?.claimed_at).toBe('string');
  // Another surface's card for the same incident is a separate claim.
  expect(await createCardLedger(dynamo, 'teams').claim(id, at(3))).toBe(true);
});

test('racing notices make one card; the losers wait for it and update it', async () => {
  const ledger = createCardLedger(dynamo, 'slack', { wait_ms: 2_000, poll_ms: 10 });
  const id = newIncident();
  const surface = fakeSurface();
  const notices = [
    notice(id, 'analyzed', at(1)),
    notice(id, 'approval_requested', at(2)),
    notice(id, 'approved', at(3)),
  ];
  const outcomes = await Promise.all(notices.map((n) => ledger.show(n, surface.steps(n))));
  expect(surface.cards).toHaveLength(1);
  expect(outcomes.filter((o) => o === 'posted')).toHaveLength(1);
  // Every notice reached the card, either by posting it or updating it (or was older than what it showed).
  expect(outcomes.every((o) => o === 'posted' || o === 'updated' || o === 'stale')).toBe(true);
  expect(surface.cards[0]!.shown.length + outcomes.filter((o) => o === 'stale').length).toBe(3);
});

test('a notice older than the one shown is detected as stale and does not roll the card back', async () => {
  const logged: string[] = [];
  const logger = { info: (m: string) => logged.push(m) } as unknown as Logger;
  const ledger = createCardLedger(dynamo, 'teams', { name: 'Teams card', logger });
  const id = newIncident();
  expect(await ledger.claim(id, at(5))).toBe(true);
  expect(await ledger.recordShown(id, at(10))).toBe(true);
  expect(await ledger.recordShown(id, at(7))).toBe(false);
  expect(await ledger.recordShown(id, at(10))).toBe(true); // the same notice again is not older
  const item = await ledger.get(id);
  expect(item?.last_at).toBe(at(10));

  const surface = fakeSurface();
  const old = notice(id, 'approval_requested', at(8));
  const updated: string[] = [];
  const outcome = await ledger.show(old, {
    ...surface.steps(old),
    find: async () => 'card-x',
    update: async (place) => {
      updated.push(place);
    },
  });
  expect(outcome).toBe('stale');
  expect(updated).toEqual([]);
  expect(logged).toContain('older notice not shown: the Teams card already shows a newer state');
});

test('a notice that lost the claim gives up waiting after its limit with a clear error', async () => {
  const ledger = createCardLedger(dynamo, 'slack', { wait_ms: 300, poll_ms: 20 });
  const id = newIncident();
  // Another worker holds the claim and never finishes posting.
  expect(await ledger.claim(id, at(1))).toBe(true);
  const n = notice(id, 'approval_requested', at(2));
  let looks = 0;
  const started = Date.now();
  await expect(
    ledger.show(n, {
      ...fakeSurface().steps(n),
      find: async () => {
        looks++;
        return undefined;
      },
    }),
  ).rejects.toThrow(`incident ${id}: the card is being posted by another worker and did not appear in time`);
  const waited = Date.now() - started;
  expect(waited).toBeGreaterThanOrEqual(280);
  expect(waited).toBeLessThan(2_000);
  expect(looks).toBeGreaterThan(3); // it kept looking meanwhile

  // waitForPlacement on its own: finds the card when it appears, undefined after the limit.
  let appears = false;
  setTimeout(() => {
    appears = true;
  }, 50);
  expect(await ledger.waitForPlacement(async () => (appears ? 'card-1' : undefined))).toBe('card-1');
  expect(await ledger.waitForPlacement(async () => undefined)).toBeUndefined();
});

test('a failed first post gives the claim back, so the next notice can post the card', async () => {
  const ledger = createCardLedger(dynamo, 'teams');
  const id = newIncident();
  const n = notice(id, 'analyzed', at(1));
  const surface = fakeSurface();
  await expect(
    ledger.show(n, {
      ...surface.steps(n),
      claimFields: () => ({ ref_json: '{"conversation":"c1"}' }),
      post: async () => {
        throw new Error('Teams card for x: 502 from the connector');
      },
    }),
  ).rejects.toThrow('502 from the connector');
  expect(await ledger.get(id)).toBeUndefined();

  const again = notice(id, 'analyzed', at(2));
  expect(await ledger.show(again, surface.steps(again))).toBe('posted');
  expect(surface.cards).toHaveLength(1);
  await ledger.record(id, { message_id: 'card-1' });
  expect(await ledger.get(id)).toMatchObject({ message_id: 'card-1', last_at: at(2) });
});

test('with nowhere to post yet nothing is claimed', async () => {
  const ledger = createCardLedger(dynamo, 'teams');
  const id = newIncident();
  const n = notice(id, 'analyzed', at(1));
  expect(await ledger.show(n, { ...fakeSurface().steps(n), target: async () => undefined })).toBe(
    'no_target',
  );
  expect(await ledger.get(id)).toBeUndefined();
});
