import {
  countTokens,
  type LogRecord,
  LogSummarySchema,
  linesToRecords,
  renderSummary,
  summarizeLogs,
  type TemplateGroup,
} from '../../../pipeline/summarize';

const at = (s: number) => new Date(Date.UTC(2026, 10, 26, 7, 0, s)).toISOString();

function rows(): LogRecord[] {
  const out: LogRecord[] = [];
  for (let i = 0; i < 40; i++) {
    out.push({
      timestamp: at(i),
      service: 'orders-api',
      level: 'info',
      message: `GET /orders/${1000 + i} 200 in ${10 + i} ms`,
      fields: { request_id: `r-${i}`, payload: { big: true } },
    });
  }
  for (let i = 0; i < 12; i++) {
    out.push({
      timestamp: at(i * 3),
      service: 'orders-api',
      level: 'ERROR',
      message: `Connection to db-${i % 3}.internal:5432 timed out after ${3000 + i} ms`,
    });
  }
  for (let i = 0; i < 6; i++) {
    out.push({
      timestamp: at(i * 5),
      service: 'etl-job',
      level: 'WARNING',
      message: `Retrying batch ${i} of 10`,
    });
  }
  out.push({
    timestamp: at(59),
    service: 'etl-job',
    level: 'FATAL',
    message: 'Out of memory: killed process 4242',
  });
  return out;
}

function groupsOf(s: ReturnType<typeof summarizeLogs>): TemplateGroup[] {
  return s.services.flatMap((v) => v.severities.flatMap((x) => x.groups));
}

describe('summarizeLogs', () => {
  it('builds the hierarchy service → severity → template with counts that add up', () => {
    const s = summarizeLogs(rows(), { tokenBudget: 100_000 });
    expect(LogSummarySchema.parse(s)).toBeTruthy();
    expect(s.services.map((v) => v.service)).toEqual(['etl-job', 'orders-api']);
    const orders = s.services[1];
    expect(orders.severities.map((v) => v.level)).toEqual(['ERROR', 'INFO']);
    expect(s.services[0].severities.map((v) => v.level)).toEqual(['FATAL', 'WARN']);
    const err = orders.severities[0].groups;
    expect(err).toHaveLength(1);
    expect(err[0].template).toBe('Connection to <*> timed out after <*> ms');
    expect(err[0].count).toBe(12);
    expect(err[0].firstSeen).toBe(at(0));
    expect(err[0].lastSeen).toBe(at(33));
    expect(groupsOf(s).reduce((n, g) => n + g.count, 0)).toBe(s.totalRows);
    expect(s.groupCount).toBe(4);
  });

  it('summarises variable values: distinct count and the most frequent', () => {
    const s = summarizeLogs(rows(), { tokenBudget: 100_000 });
    const err = s.services[1].severities[0].groups[0];
    expect(err.variables[0]).toEqual({
      position: 1,
      distinct: 3,
      distinctCapped: false,
      top: [
        { value: 'db-0.internal:5432', count: 4 },
        { value: 'db-1.internal:5432', count: 4 },
        { value: 'db-2.internal:5432', count: 4 },
      ],
    });
    expect(err.variables[1].distinct).toBe(12);
  });

  it('keeps at most five samples, all different, with only scalar key fields', () => {
    const s = summarizeLogs(rows(), { tokenBudget: 100_000 });
    const info = s.services[1].severities[1].groups[0];
    expect(info.samples).toHaveLength(5);
    expect(new Set(info.samples.map((x) => x.message)).size).toBe(5);
    expect(info.samples[0].fields).toEqual({ request_id: 'r-0' });
    const once = s.services[0].severities[0].groups[0];
    expect(once.samples.map((x) => x.message)).toEqual(['Out of memory: killed process 4242']);
  });

  it('renders compact text with group ids, counts, times, variables and samples', () => {
    const text = renderSummary(summarizeLogs(rows(), { tokenBudget: 100_000 }));
    expect(text).toContain('## orders-api: 52 rows');
    expect(text).toContain('### ERROR: 12 rows');
    expect(text).toMatch(
      /T\d+ x12 \[2026-11-26T07:00:00.000Z .. 2026-11-26T07:00:33.000Z\] Connection to <\*> timed out/,
    );
    expect(text).toContain('$1 (3 distinct): db-0.internal:5432 x4');
    expect(text).toContain('e.g. 2026-11-26T07:00:00.000Z GET /orders/1000 200 in 10 ms {request_id=r-0}');
    expect(text).not.toContain('Folded');
  });

  it('fits a tight budget by folding the least important groups first and says so in one line', () => {
    // 40 distinct one-off DEBUG events (no two share two words): too many to list even condensed.
    const word = (i: number) => String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26), 107 + (i % 7));
    const noisy = [
      ...rows(),
      ...Array.from({ length: 40 }, (_, i) => ({
        timestamp: at(i),
        service: 'orders-api',
        level: 'DEBUG',
        message: `${word(i)} finished`,
      })),
    ];
    const budget = 240;
    const s = summarizeLogs(noisy, { tokenBudget: budget });
    expect(s.groupCount).toBe(44);
    const text = renderSummary(s);
    expect(countTokens(text)).toBe(s.tokens);
    expect(s.tokens).toBeLessThanOrEqual(budget);
    const foldedLines = text.split('\n').filter((l) => l.startsWith('Folded'));
    expect(foldedLines).toHaveLength(1);
    const groups = groupsOf(s);
    const folded = groups.filter((g) => g.detail === 'folded');
    expect(folded.length).toBeGreaterThan(0);
    // Nothing silently dropped: shown + folded rows make the total, and every folded id is named.
    const shown = groups.filter((g) => g.detail !== 'folded');
    expect(shown.reduce((n, g) => n + g.count, 0) + s.folded.rows).toBe(s.totalRows);
    // The line names the largest folded groups and counts the rest.
    const named = folded.filter((g) => foldedLines[0].includes(`${g.id} x${g.count}`)).length;
    const more = Number(/\+(\d+) more/.exec(foldedLines[0])?.[1] ?? 0);
    expect(named).toBeGreaterThan(0);
    expect(named + more).toBe(folded.length);
    expect(foldedLines[0]).toContain(`${folded.length} groups, ${s.folded.rows} rows`);
    for (const g of shown) expect(text).toContain(`${g.id} x${g.count}`);
    // The fatal error is the most important group: it is never folded before an INFO group.
    const fatal = groups.find((g) => g.template.startsWith('Out of memory'));
    const info = groups.find((g) => g.template.startsWith('GET'));
    if (fatal?.detail === 'folded') expect(info?.detail).toBe('folded');
    expect(fatal?.detail).not.toBe('folded');
  });

  it('condenses before folding when condensing is enough', () => {
    const full = summarizeLogs(rows(), { tokenBudget: 100_000 });
    const s = summarizeLogs(rows(), { tokenBudget: full.tokens - 20 });
    const groups = groupsOf(s);
    expect(groups.some((g) => g.detail === 'condensed')).toBe(true);
    expect(groups.every((g) => g.detail !== 'folded')).toBe(true);
    expect(s.folded.line).toBe('');
    // Least important first: the INFO group is condensed before the FATAL one.
    expect(groups.find((g) => g.template.startsWith('GET'))?.detail).toBe('condensed');
  });

  it('is deterministic and independent of the input order of the rows', () => {
    const input = rows();
    const shuffled = [...input].reverse();
    const a = renderSummary(summarizeLogs(input, { tokenBudget: 400 }));
    const b = renderSummary(summarizeLogs(input, { tokenBudget: 400 }));
    const c = renderSummary(summarizeLogs(shuffled, { tokenBudget: 400 }));
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('rejects a malformed row with a message naming it', () => {
    const bad = [...rows(), { timestamp: at(1), service: 'x', message: 'no level' } as unknown as LogRecord];
    expect(() => summarizeLogs(bad, { tokenBudget: 1000 })).toThrow(/row 59 is not a log record/);
  });

  it('summarises no rows into a short, valid summary', () => {
    const s = summarizeLogs([], { tokenBudget: 100 });
    expect(s.groupCount).toBe(0);
    expect(renderSummary(s)).toBe('Logs: 0 rows, 0 services, 0 templates');
  });
});

describe('levels of raw lines (linesToRecords)', () => {
  it('gives syslog lines without a level word a level from the message', () => {
    const lines = [
      'Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 1.2.3.4 port 22 ssh2',
      'Dec 10 06:55:47 LabSZ sshd[24201]: Accepted password for bob from 1.2.3.5 port 22 ssh2',
      'Dec 10 06:55:48 LabSZ sshd[24202]: error: Received disconnect from 1.2.3.6: 3 [preauth]',
      'Dec 10 06:55:49 LabSZ sshd[24203]: Invalid user test from 1.2.3.7',
    ];
    expect(linesToRecords(lines, 'ssh').map((r) => r.level)).toEqual(['ERROR', 'INFO', 'ERROR', 'WARN']);
  });

  it('keeps a level found in the header, wherever its column is', () => {
    const lines = Array.from(
      { length: 10 },
      (_, i) =>
        `- 1117838570 2005.06.03 R02-M1 2005-06-03-15.42.50.6758${i} R02-M1 RAS KERNEL ${i % 2 ? 'FATAL' : 'INFO'} cache parity error corrected`,
    );
    const recs = linesToRecords(lines, 'bgl');
    expect(recs[0].level).toBe('INFO');
    expect(recs[1].level).toBe('FATAL');
    expect(recs[1].message).toBe('cache parity error corrected');
  });
});
