import { trackAnomaly } from '../../../pipeline/dedup';
import { anomalySignature } from '../../../pipeline/detection';
import { type LocalDynamo, startLocalDynamo } from '../../../providers/aws/dynamodb/local';
import { DocumentDynamoProvider } from '../../../providers/aws/dynamodb/provider';
import { loadConfig } from '../../../providers/config';
import type { Anomaly } from '../../../providers/domain';

const config = loadConfig({});
let local: LocalDynamo;
let dynamo: DocumentDynamoProvider;

beforeAll(async () => {
  local = await startLocalDynamo(config);
  dynamo = new DocumentDynamoProvider(local.client, config);
});
afterAll(async () => {
  await local?.close();
});

let n = 0;
function anomaly(): Anomaly {
  // A fresh signature per test so the tests do not see each other's items.
  n += 1;
  return {
    signature: anomalySignature({
      service: 'payments-api',
      source: 'rds_logs',
      kind: 'error_rate_spike',
      template: `t${n}`,
    }),
    service: 'payments-api',
    source: 'rds_logs',
    kind: 'error_rate_spike',
    severity: 'high',
    detected_at: '2026-11-26T07:00:00.000Z',
    summary: 'errors',
  };
}
const at = (iso: string) => new Date(iso);
const window_minutes = 60;

describe('anomaly tracking on dynalite', () => {
  it('a first sighting is new, with a 7-day TTL and the tracking attributes', async () => {
    const a = anomaly();
    const r = await trackAnomaly(dynamo, a, { now: at('2026-11-26T07:00:00.000Z'), window_minutes });
    expect(r).toMatchObject({ is_new: true, occurrence_count: 1 });
    const item = await dynamo.get('anomaly_tracking', { signature: a.signature });
    expect(item).toMatchObject({
      signature: a.signature,
      anomaly_type: 'error_rate_spike',
      occurrence_count: 1,
      last_seen: '2026-11-26T07:00:00.000Z',
      expires_at: Date.parse('2026-11-26T07:00:00.000Z') / 1000 + 7 * 86_400,
    });
  });

  it('a repeat within the window only counts: occurrence_count 2, last_seen moves, not new', async () => {
    const a = anomaly();
    await trackAnomaly(dynamo, a, { now: at('2026-11-26T07:00:00.000Z'), window_minutes });
    const r = await trackAnomaly(dynamo, a, { now: at('2026-11-26T07:59:00.000Z'), window_minutes });
    expect(r).toMatchObject({ is_new: false, occurrence_count: 2, first_seen: '2026-11-26T07:00:00.000Z' });
    const item = await dynamo.get('anomaly_tracking', { signature: a.signature });
    expect(item).toMatchObject({ occurrence_count: 2, last_seen: '2026-11-26T07:59:00.000Z' });
    expect(item?.expires_at).toBe(Date.parse('2026-11-26T07:59:00.000Z') / 1000 + 7 * 86_400);
  });

  it('a problem that keeps recurring stays one incident: the window runs from the last sighting', async () => {
    const a = anomaly();
    await trackAnomaly(dynamo, a, { now: at('2026-11-26T07:00:00.000Z'), window_minutes });
    await trackAnomaly(dynamo, a, { now: at('2026-11-26T07:50:00.000Z'), window_minutes });
    const r = await trackAnomaly(dynamo, a, { now: at('2026-11-26T08:40:00.000Z'), window_minutes });
    expect(r).toMatchObject({ is_new: false, occurrence_count: 3 });
  });

  it('after the window the same signature is a new incident again', async () => {
    const a = anomaly();
    await trackAnomaly(dynamo, a, { now: at('2026-11-26T07:00:00.000Z'), window_minutes });
    const r = await trackAnomaly(dynamo, a, { now: at('2026-11-26T08:00:00.001Z'), window_minutes });
    expect(r).toMatchObject({ is_new: true, occurrence_count: 1, first_seen: '2026-11-26T08:00:00.001Z' });
  });

  it('20 concurrent runs on one signature: exactly one is new, and all 20 are counted', async () => {
    const a = anomaly();
    const now = at('2026-11-26T07:00:00.000Z');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        trackAnomaly(dynamo, a, { now: new Date(now.getTime() + i), window_minutes }),
      ),
    );
    expect(results.filter((r) => r.is_new)).toHaveLength(1);
    const item = await dynamo.get('anomaly_tracking', { signature: a.signature });
    expect(item?.occurrence_count).toBe(20);
    expect(results.map((r) => r.occurrence_count).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
});
