import { splitHeader } from '../../../pipeline/summarize';
import { HeaderSplitter } from '../../../pipeline/summarize/header';

const message = (line: string) => line.slice(splitHeader(line).messageStart);

describe('splitHeader (no per-format settings)', () => {
  it.each([
    ['log4j style', '2026-11-26 07:41:44,747 INFO  com.acme.Job: started run 4', 'started run 4', 'INFO'],
    [
      'syslog style',
      'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown',
      'check pass; user unknown',
      undefined,
    ],
    [
      'bracketed apache style',
      '[Sun Dec 04 04:47:44 2005] [error] mod_jk child in error state 6',
      'mod_jk child in error state 6',
      'ERROR',
    ],
    [
      'dash-separated',
      '2015-07-29 19:04:29,071 - WARN  [SendWorker:188978561024:QuorumCnxManager@688] - Send worker leaving',
      'Send worker leaving',
      'WARN',
    ],
    [
      'pipe-separated',
      '20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579',
      'onStandStepChanged 3579',
      undefined,
    ],
    ['ISO with warning word', '2026-11-26T07:00:00Z WARNING disk almost full', 'disk almost full', 'WARN'],
  ])('splits %s', (_kind, line, msg, level) => {
    expect(message(line)).toBe(msg);
    expect(splitHeader(line).level).toBe(level);
  });

  it('keeps a line with no recognisable header whole', () => {
    const line = 'Something happened: value 5';
    expect(message(line)).toBe(line);
  });
});

describe('HeaderSplitter (header learned per input, no format list)', () => {
  const msg = (s: HeaderSplitter, line: string) => line.slice(s.messageStart(line));

  it('learns a header whose delimiter sits past the eighth field', () => {
    // label, epoch, date, host, syslog time, user@host, program[pid]:
    const lines = Array.from(
      { length: 50 },
      (_, i) =>
        `- ${1131566461 + i} 2005.11.09 dn${i} Nov 9 12:01:${10 + (i % 50)} dn${i}/dn${i} crond[${2900 + i}]: session ${i % 2 ? 'opened' : 'closed'} for user root`,
    );
    const s = new HeaderSplitter(lines);
    expect(s.headers()[0]?.columns).toBe(9);
    expect(msg(s, lines[3])).toBe('session opened for user root');
  });

  it('ends the header on a dash even when a word sometimes comes before it', () => {
    const procs = ['a.exe', 'b.exe', 'c.exe *64', 'd.exe'];
    const lines = Array.from(
      { length: 40 },
      (_, i) =>
        `[10.${10 + (i % 20)} 16:49:${10 + i}] ${procs[i % 4]} - host${i}.example.com:443 close, ${i} bytes sent`,
    );
    const s = new HeaderSplitter(lines);
    expect(msg(s, lines[2])).toBe('host2.example.com:443 close, 2 bytes sent');
    expect(msg(s, lines[1])).toBe('host1.example.com:443 close, 1 bytes sent');
  });

  it('takes a padded text column (fixed-width layout) into the header and finds the level in it', () => {
    const comps = ['CBS', 'CSI'];
    const lines = Array.from(
      { length: 30 },
      (_, i) => `2016-09-28 04:30:${10 + i}, Info                  ${comps[i % 2]}    Loaded stack ${i}`,
    );
    const s = new HeaderSplitter(lines);
    expect(msg(s, lines[5])).toBe('Loaded stack 5');
    expect(s.split(lines[5]).level).toBe('INFO');
  });

  it('reads a one-letter level from a learned level column', () => {
    const levels = ['D', 'I', 'W', 'E'];
    const lines = Array.from(
      { length: 40 },
      (_, i) =>
        `03-17 16:13:${10 + i}.811  ${1700 + i}  ${2300 + i} ${levels[i % 4]} Tag${i % 3}: event ${i}`,
    );
    const s = new HeaderSplitter(lines);
    expect(msg(s, lines[2])).toBe('event 2');
    expect(s.split(lines[3]).level).toBe('ERROR');
  });

  it('finds no header in lines without a time or level column, and keeps them whole', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `level=info method=GET path=/items/${i} status=200`);
    const s = new HeaderSplitter(lines);
    expect(s.headers()).toHaveLength(0);
    expect(s.messageStart(lines[0])).toBe(0);
  });

  it('falls back to the generic split for a line that does not fit, and relearns on a new format', () => {
    const a = Array.from(
      { length: 20 },
      (_, i) => `2024-01-02 03:04:${10 + i} INFO [main] pkg.Cls: start ${i}`,
    );
    const b = Array.from({ length: 200 }, (_, i) => `[${i}.5] node-${i} | kern | x: y ${i}`);
    const s = new HeaderSplitter(a);
    expect(msg(s, 'Traceback (most recent call last):')).toBe('Traceback (most recent call last):');
    for (const l of b) s.messageStart(l);
    expect(s.headers().length).toBeGreaterThanOrEqual(1);
    expect(msg(s, a[0])).toBe('start 0');
  });
});
