import { detect } from '../../../pipeline/detection';
import { SECRET_CORPUS } from '../../fixtures/secret-corpus';
import { startPlatform, type TestPlatform } from './fixtures';

let p: TestPlatform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(async () => {
  await p.close();
});

const MIN = 60_000;

describe('issue 14 row 6: redaction at the detection source', () => {
  test('no secret of the corpus survives into anomaly samples, templates or summaries', async () => {
    let now = new Date('2026-12-01T00:00:00.000Z');
    const leaked: string[] = [];
    let fired = 0;
    for (const c of SECRET_CORPUS) {
      now = new Date(now.getTime() + 6 * 60 * MIN);
      p.setNow(now);
      await p.reset();
      // A burst of one failing line in orders-db's unified logs and payments-api's log group.
      await p.aws.unifiedLogs.insert(
        Array.from({ length: 30 }, (_, i) => ({
          timestamp: new Date(now.getTime() - (8 - (i % 8)) * MIN).toISOString(),
          service_name: 'orders-db',
          log_level: 'ERROR' as const,
          message: c.line,
          metadata: {},
        })),
      );
      p.aws.logs.putLogEvents(
        '/aws/lambda/payments-api',
        Array.from({ length: 30 }, (_, i) => ({
          timestamp: now.getTime() - (8 - (i % 8)) * MIN,
          message: `ERROR ${c.line}`,
        })),
      );
      const out = await detect(p.rt, {});
      const withLogs = out.anomalies.filter((a) => a.logs);
      if (withLogs.length) fired += 1;
      if (JSON.stringify(out).includes(c.secret)) leaked.push(c.name);
    }
    // The bursts did make anomalies with samples (otherwise nothing was tested).
    expect(fired).toBe(SECRET_CORPUS.length);
    expect(leaked).toEqual([]);
  }, 120_000);
});
