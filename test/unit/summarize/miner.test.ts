import { TemplateMiner } from '../../../pipeline/summarize';

describe('TemplateMiner', () => {
  it('puts lines of one template in one group and other templates in others', () => {
    const m = new TemplateMiner();
    const a1 = m.add('Failed password for root from 1.2.3.4 port 22 ssh2');
    const b1 = m.add('Accepted publickey for deploy from 1.2.3.4 port 22 ssh2');
    const a2 = m.add('Failed password for root from 5.6.7.8 port 4711 ssh2');
    const c1 = m.add('Connection closed by 5.6.7.8 [preauth]');
    expect(a1.groupId).toBe('T1');
    expect(b1.groupId).toBe('T2');
    expect(a2.groupId).toBe('T1');
    expect(c1.groupId).toBe('T3');
    expect(a2.template).toBe('Failed password for root from <*> port <*> <*>');
  });

  it('learns variable words (no digits) as wildcards once a position shows enough different words', () => {
    const m = new TemplateMiner({ keepWordsApart: true });
    const users = ['admin', 'oracle', 'test', 'guest'];
    const ids = users.map((u, i) => m.addIndex(`Invalid user ${u} from 10.0.0.${i}`));
    expect(new Set(ids.map((i) => m.resolve(i)))).toEqual(new Set([0]));
    expect(m.template(ids[0])).toBe('Invalid user <*> from <*>');
    expect(m.groups()).toHaveLength(1);
    expect(m.groups()[0].count).toBe(4);
    // A fifth name joins the merged group at once.
    expect(m.addIndex('Invalid user backup from 10.0.0.9')).toBe(0);
  });

  it('keeps apart templates that differ in one keyword with few values, when asked to', () => {
    const m = new TemplateMiner({ keepWordsApart: true });
    const lines = [
      'host-a:443 open through proxy gw:3128 HTTPS',
      'host-b:80 open through proxy gw:3128 SOCKS',
      'host-c:443 open through proxy gw:3128 HTTPS',
      'host-d:80 open through proxy gw:3128 SOCKS',
    ];
    const ids = lines.map((l) => m.resolve(m.addIndex(l)));
    expect(ids[0]).toBe(ids[2]);
    expect(ids[1]).toBe(ids[3]);
    expect(ids[0]).not.toBe(ids[1]);
    expect(m.template(ids[0])).toBe('<*> open through proxy <*> HTTPS');
  });

  it('merges a variable word on similarity by default, as Drain does', () => {
    const m = new TemplateMiner();
    m.add('Invalid user admin from 10.0.0.1');
    const r = m.add('Invalid user oracle from 10.0.0.2');
    expect(r.groupId).toBe('T1');
    expect(r.template).toBe('Invalid user <*> from <*>');
  });

  it('keeps apart variants of a first word until it shows enough different words', () => {
    const m = new TemplateMiner();
    const a = m.addIndex('Accepted password for root from 10.0.0.1');
    const f = m.addIndex('Failed password for root from 10.0.0.2');
    expect(m.resolve(a)).not.toBe(m.resolve(f));
  });

  it('lets a template that became general take in the groups it now covers', () => {
    const m = new TemplateMiner();
    const a = m.addIndex('job 1 moved from NEW to QUEUED');
    const b = m.addIndex('job 2 moved from DONE to FAILED');
    expect(m.resolve(b)).not.toBe(m.resolve(a));
    m.addIndex('job 3 moved from NEW to FAILED');
    m.addIndex('job 4 moved from DONE to QUEUED');
    expect(m.resolve(b)).toBe(m.resolve(a));
    expect(m.template(b)).toBe('job <*> moved from <*> to <*>');
    expect(m.groups()).toHaveLength(1);
    expect(m.groups()[0].count).toBe(4);
  });

  it('catches a variable first word, where Drain routes on it', () => {
    const m = new TemplateMiner();
    const ids = ['alice', 'bob', 'carol', 'dave', 'erin'].map((u) =>
      m.addIndex(`${u} logged in from 10.1.2.3`),
    );
    expect(new Set(ids.map((i) => m.resolve(i))).size).toBe(1);
    expect(m.template(ids[4])).toBe('<*> logged in from <*>');
  });

  it('keeps apart messages that share only a few words', () => {
    const m = new TemplateMiner();
    const a = m.add('Disk quota exceeded for volume data');
    const b = m.add('Disk check passed for volume data');
    const c = m.add('Network link down on interface eth');
    expect(new Set([a.groupId, b.groupId, c.groupId]).size).toBe(3);
  });

  it('gives lines of different lengths different groups', () => {
    const m = new TemplateMiner();
    expect(m.add('job started').groupId).not.toBe(m.add('job started late').groupId);
  });

  it('counts members and lists groups in first-seen order', () => {
    const m = new TemplateMiner();
    for (const n of [1, 2, 3]) m.add(`retry ${n} of 5`);
    m.add('giving up');
    expect(m.groups().map((g) => [g.index, g.count])).toEqual([
      [0, 3],
      [1, 1],
    ]);
    expect(m.template(0)).toBe('retry <*> of <*>');
  });

  it('is deterministic: the same input gives the same ids and templates', () => {
    const lines = ['a 1', 'b x 2', 'a 7', 'c', 'b y 3', 'b x 9'];
    const run = () => {
      const m = new TemplateMiner();
      return lines.map((l) => m.add(l));
    };
    expect(run()).toEqual(run());
  });

  it('exposes the masking it matches on', () => {
    expect(new TemplateMiner().mask('took 12 ms')).toBe('took <*> ms');
  });

  it('groups the same with and without confirming cache hits', () => {
    const lines = Array.from(
      { length: 200 },
      (_, i) => `req ${i % 7} user u${i % 3} took ${i} ms on node-${i % 5}`,
    );
    lines.push(...lines.map((l) => l.replace('took', 'waited').replace('ms on', 'seconds at')));
    const fast = new TemplateMiner();
    const safe = new TemplateMiner({ confirmRepeats: true });
    expect(lines.map((l) => fast.addIndex(l))).toEqual(lines.map((l) => safe.addIndex(l)));
    expect(fast.groups()).toHaveLength(2);
  });
});
