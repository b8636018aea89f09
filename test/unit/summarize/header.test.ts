import { splitHeader } from '../../../pipeline/summarize';

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
