import { closestServices, editDistance, parseBdpCommand } from '../../../bot/core/commands';
import { sparkline, truncateAtWord } from '../../../bot/core/text';
import { DEFAULT_SERVICES } from '../../../providers/config';

describe('truncateAtWord', () => {
  test('keeps text that fits', () => {
    expect(truncateAtWord('short text', 20)).toBe('short text');
  });
  test('cuts at a word and ends with …, within the limit', () => {
    const t = truncateAtWord('the connection pool was exhausted after the deploy', 30);
    expect(t.length).toBeLessThanOrEqual(30);
    expect(t).toBe('the connection pool was…');
  });
  test('cuts a single over-long word mid-word rather than dropping it', () => {
    const t = truncateAtWord('x'.repeat(100), 10);
    expect(t).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('sparkline', () => {
  test('rises with the series and spans the full scale', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
  });
  test('averages long series into at most `width` characters', () => {
    const s = sparkline(
      Array.from({ length: 120 }, (_, i) => i),
      24,
    );
    expect([...s]).toHaveLength(24);
    expect(s.startsWith('▁')).toBe(true);
    expect(s.endsWith('█')).toBe(true);
  });
  test('a flat series is flat; an empty one is empty', () => {
    expect(sparkline([5, 5, 5])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
  });
});

describe('/bdp parser', () => {
  const parse = (t: string) => parseBdpCommand(t, DEFAULT_SERVICES);
  test('analyze <service>, also spelled analyse and in any case', () => {
    expect(parse('analyze payments-api')).toEqual({
      ok: true,
      command: { verb: 'analyze', service: 'payments-api' },
    });
    expect(parse('  ANALYSE   Payments-API ')).toEqual({
      ok: true,
      command: { verb: 'analyze', service: 'payments-api' },
    });
  });
  test('analyze without a service names the known ones', () => {
    const r = parse('analyze');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('`payments-api`');
  });
  test('an unknown service gets "did you mean" with the closest', () => {
    const r = parse('analyze ordrs-db');
    expect(r).toEqual({ ok: false, error: expect.stringContaining('Did you mean `orders-db`') });
  });
  test('status, help, and unknown verbs → usage', () => {
    expect(parse('status')).toEqual({ ok: true, command: { verb: 'status' } });
    expect(parse('status Payments-API')).toEqual({
      ok: true,
      command: { verb: 'status', service: 'payments-api' },
    });
    expect(parse('status nope')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Unknown service `nope`/),
    });
    expect(parse('')).toEqual({ ok: true, command: { verb: 'help' } });
    expect(parse('restart everything')).toEqual({ ok: true, command: { verb: 'help', unknown: 'restart' } });
  });
  test('history <service> [n] with bounds on n', () => {
    expect(parse('history orders-db')).toEqual({
      ok: true,
      command: { verb: 'history', service: 'orders-db', limit: 5 },
    });
    expect(parse('history orders-db 12')).toEqual({
      ok: true,
      command: { verb: 'history', service: 'orders-db', limit: 12 },
    });
    for (const bad of ['0', '21', '-1', '2.5', 'ten']) {
      const r = parse(`history orders-db ${bad}`);
      expect(r.ok).toBe(false);
    }
  });
});

describe('did you mean', () => {
  test('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
  test('closest services: typos, prefixes, and all known ones when nothing is near', () => {
    expect(closestServices('ingest-wroker', DEFAULT_SERVICES)[0]).toBe('ingest-worker');
    expect(closestServices('stream', DEFAULT_SERVICES)[0]).toBe('stream-consumer');
    expect(closestServices('zzzzzzzzzzzzzzzzzzzz', DEFAULT_SERVICES)).toHaveLength(3);
  });
});
