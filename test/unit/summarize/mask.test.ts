import {
  maskEquals,
  maskHash,
  maskRange,
  maskToken,
  maskVariables,
  WILDCARD,
} from '../../../pipeline/summarize';
import { lastHashCheck, maskHashSmall } from '../../../pipeline/summarize/mask';

describe('maskVariables', () => {
  it.each([
    ['numbers', 'took 1234 ms after 3 retries', 'took <*> ms after <*> retries'],
    ['negative and decimal numbers', 'delta -12.5 now', 'delta <*> now'],
    ['hex', 'fault at 0x7ffe12ab in frame deadbeef01', 'fault at <*> in frame <*>'],
    ['IPv4 with port', 'connect to 10.1.2.3:5432 failed', 'connect to <*> failed'],
    ['IPv6', 'peer fe80::1ff:fe23:4567:890a gone', 'peer <*> gone'],
    ['UUID', 'job 550e8400-e29b-41d4-a716-446655440000 done', 'job <*> done'],
    ['paths', 'cannot open /var/log/app/x.log now', 'cannot open <*> now'],
    ['URLs', 'GET https://api.example.com/v1/items returned', 'GET <*> returned'],
    ['ISO timestamps', 'at 2026-11-26T07:00:00.123Z started', 'at <*> started'],
    ['clock times and month names', 'since Nov 26 07:13:27 ok', 'since <*> <*> <*> ok'],
    ['key=value values', 'user=alice status=FAILED retries=3', 'user=<*> status=<*> retries=<*>'],
    ['ids with digits', 'block blk_-6952295868487656571 lost', 'block <*> lost'],
  ])('masks %s', (_kind, input, expected) => {
    expect(maskVariables(input)).toBe(expected);
  });

  it('keeps wrapping punctuation around a masked value', () => {
    expect(maskVariables('from [10.0.0.1] (port 22), code: 500.')).toBe('from [<*>] (port <*>), code: <*>.');
  });

  it('leaves words, empty values and punctuation alone', () => {
    expect(maskVariables('Connection reset by peer; logname= tty')).toBe(
      'Connection reset by peer; logname= tty',
    );
  });

  it('collapses runs of whitespace to one space', () => {
    expect(maskVariables('  a\t\tb   c  ')).toBe('a b c');
  });

  it('gives one signature to lines of one event and different ones to different events', () => {
    const a = maskVariables('Timeout after 3000 ms talking to 10.0.0.7');
    const b = maskVariables('Timeout after 120 ms talking to 192.168.1.20');
    const c = maskVariables('Refused after 120 ms talking to 192.168.1.20');
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('masks single tokens', () => {
    expect(maskToken('42')).toBe(WILDCARD);
    expect(maskToken('(uid=0)')).toBe('(uid=<*>)');
    expect(maskToken('ERROR')).toBe('ERROR');
  });
});

describe('maskHash / maskEquals (the miner cache keys)', () => {
  const lines = [
    'Failed password for root from 1.2.3.4 port 22 ssh2',
    'Failed password for root from 9.9.9.9 port 4711 ssh2',
    'Failed  password for admin from 9.9.9.9 port 4711 ssh2',
    'uid=0 euid=0 tty=ssh',
    'Jun 14 restart.',
    '',
  ];
  it('agrees with the built string', () => {
    for (const l of lines) {
      expect(maskEquals(l, 0, maskRange(l, 0))).toBe(true);
      expect(maskEquals(l, 0, `${maskRange(l, 0)} `)).toBe(false);
      expect(maskEquals(l, 0, maskRange(l, 0).slice(1))).toBe(l === '');
    }
  });
  it('is equal for equal masks and differs otherwise', () => {
    expect(maskHash(lines[0], 0)).toBe(maskHash(lines[1], 0));
    expect(maskHash(lines[0], 0)).not.toBe(maskHash(lines[2], 0));
    expect(maskEquals(lines[1], 0, maskRange(lines[0], 0))).toBe(true);
    expect(maskEquals(lines[2], 0, maskRange(lines[0], 0))).toBe(false);
    // Masking from an offset skips the prefix.
    expect(maskRange('HEADER took 5 ms', 7)).toBe('took <*> ms');
    expect(maskHash('HEADER took 5 ms', 7)).toBe(maskHash('took 7 ms', 0));
  });
});

describe('maskHashSmall (one-pass hash of the masked message)', () => {
  it('equals the hash of the masked text, so raw lines and masked messages share cache keys', () => {
    const lines = [
      'Connection from 10.0.0.1:4242 closed after 12ms',
      'GET /api/v1/items?id=42 user=alice took=1.5s',
      'resolved mail.example.org to 10.1.1.1',
      '  spaced\tout   line  ',
      '',
    ];
    for (const l of lines) {
      const masked = maskRange(l, 0);
      expect(maskHashSmall(l, 0)).toBe(maskHashSmall(masked, 0));
      const check = lastHashCheck();
      maskHashSmall(l, 0);
      expect(lastHashCheck()).toBe(check);
    }
    expect(maskHashSmall(lines[0], 0)).not.toBe(maskHashSmall(lines[1], 0));
  });
});

describe('masking by shape', () => {
  it.each([
    ['host name', 'resolved mail.example.org ok', 'resolved <*> ok'],
    [
      'class path stays',
      'Using java.util.concurrent.LinkedBlockingQueue now',
      'Using java.util.concurrent.LinkedBlockingQueue now',
    ],
    ['uuid', 'instance 6f1c0a4e-2b7d-4c1e-9d3a-0c2f5e6b7a81 started', 'instance <*> started'],
    ['size and duration', 'wrote 12MB in 350ms', 'wrote <*> in <*>'],
    ['key=value', 'status=200 user=alice', 'status=<*> user=<*>'],
    ['url', 'fetch https://example.org/a done', 'fetch <*> done'],
  ])('%s', (_kind, line, masked) => {
    expect(maskRange(line, 0)).toBe(masked);
  });
});
