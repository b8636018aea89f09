process.env.POWERTOOLS_LOG_LEVEL = 'INFO';

import { followUpContext, incidentJson } from '../../../agent/prompts';
import { guarded } from '../../../agent/tools/context';
import { answerFollowUp } from '../../../bot/core/chat-jobs';
import { buildIncidentView } from '../../../bot/core/view-model';
import type { IncidentNotice } from '../../../providers/domain';
import { createLogger, redactText, redactTextDeep } from '../../../providers/redact';
import { HELD_OUT, ORDINARY, SECRET_CORPUS, type SecretCase } from '../../fixtures/secret-corpus';
import { makeAnalysis, makeIncident, stateWith } from '../workflow/support';

const survivors = (out: string, cases: SecretCase[]) =>
  cases.filter((c) => out.includes(c.secret)).map((c) => c.name);

describe('issue 14 row 6: redaction', () => {
  test(`the corpus has at least 40 secret shapes (${SECRET_CORPUS.length})`, () => {
    expect(SECRET_CORPUS.length).toBeGreaterThanOrEqual(40);
    // Each line really holds its secret (a case that cannot fail is no case).
    for (const c of SECRET_CORPUS) expect(c.line).toContain(c.secret);
  });

  test.each(SECRET_CORPUS)('$name: removed by the redactor (sync masks and the detector)', async (c) => {
    expect(redactText(c.line)).not.toContain(c.secret);
    expect(await redactTextDeep(c.line)).not.toContain(c.secret);
  });

  test('ordinary numbers, ids, hostnames, ARNs and request ids stay readable', async () => {
    for (const line of ORDINARY) {
      expect(redactText(line)).toBe(line);
      expect(await redactTextDeep(line)).toBe(line);
    }
  });

  test('held-out shapes (reported, not tuned)', async () => {
    const deep = await Promise.all(HELD_OUT.map((c) => redactTextDeep(c.line)));
    const left = HELD_OUT.filter((c, i) => deep[i]!.includes(c.secret)).map((c) => c.name);
    console.log(
      `issue 14 row 6 held-out: ${HELD_OUT.length - left.length}/${HELD_OUT.length} redacted; survived: ${left.join(', ') || 'none'}`,
    );
    expect(left.length).toBeLessThan(HELD_OUT.length);
  });

  test('agent tool outputs: no secret reaches the model, and JSON stays JSON', async () => {
    const out = await guarded('query_cloudwatch_logs', async () =>
      JSON.stringify({ lines: SECRET_CORPUS.map((c) => c.line), ordinary: ORDINARY }),
    );
    expect(survivors(out, SECRET_CORPUS)).toEqual([]);
    const parsed = JSON.parse(out) as { ordinary: string[] };
    expect(parsed.ordinary).toEqual(ORDINARY);
    const failed = await guarded('query_rds_logs', async () => {
      throw new Error(`connect postgres://app:Pg-S3cret!@db:5432/x failed`);
    });
    expect(failed).not.toContain('Pg-S3cret!');
  });

  test('prompts: incident JSON and follow-up context carry no secret', () => {
    const lines = SECRET_CORPUS.map((c) => c.line);
    const incident = makeIncident({
      title: lines[0]!,
      anomalies: makeIncident().anomalies.map((a) => ({ ...a, summary: lines.join(' | ') })),
    });
    const state = stateWith(incident, 0.7);
    state.analysis = {
      ...makeAnalysis(incident.incident_id, 0.7),
      root_cause: lines.join('\n'),
      policy_notes: lines,
    };
    const prompt = `${incidentJson(incident)}\n${followUpContext(state)}`;
    expect(survivors(prompt, SECRET_CORPUS)).toEqual([]);
  });

  test('cards: root cause, evidence, detail and notes reach the view redacted', () => {
    const lines = SECRET_CORPUS.map((c) => c.line);
    const incident = makeIncident({ title: `db down ${lines[15]}` });
    const state = stateWith(incident, 0.7);
    state.analysis = {
      ...makeAnalysis(incident.incident_id, 0.7),
      root_cause: lines.slice(0, 20).join('\n'),
      evidence: lines.map((claim, i) => ({ claim, source: `call-${i}` })),
      policy_notes: lines.slice(20),
    };
    const notice: IncidentNotice = {
      kind: 'failed',
      at: new Date().toISOString(),
      state,
      detail: lines.slice(10, 30).join(' '),
      chat_refs: [],
    };
    const view = buildIncidentView(notice, {
      CONSOLE_BASE_URL: 'https://console.aws.amazon.com',
      AWS_REGION: 'us-east-1',
    });
    expect(survivors(JSON.stringify(view), SECRET_CORPUS)).toEqual([]);
    expect(view.footer).toContain(incident.incident_id);
  });

  test('thread answers: the agent answer is redacted before it is posted', async () => {
    const text = SECRET_CORPUS.map((c) => c.line).join('\n');
    const svc = {
      rt: {} as never,
      store: { getState: async () => stateWith(makeIncident(), 0.7) },
      followUp: async () => ({ answer: text }),
    };
    const answer = await answerFollowUp(
      { svc: svc as never, logger: createLogger('test'), escape: (s: string) => s } as never,
      { incident_id: 'inc-test-redact-1', question: 'why?', user: 'U1', thread_id: 't1' } as never,
    );
    expect(survivors(answer, SECRET_CORPUS)).toEqual([]);
    expect(answer).toContain('AccessDenied for key');
  });

  test('our own logs: message and attributes are redacted', () => {
    const written: string[] = [];
    const spies = (['info', 'warn', 'error', 'log'] as const).map((m) =>
      jest
        .spyOn(console, m)
        .mockImplementation((...a: unknown[]) => void written.push(a.map(String).join(' '))),
    );
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    try {
      const log = createLogger('bdp-test');
      for (const c of SECRET_CORPUS)
        log.info(`event ${c.line}`, { detail: c.line, nested: { line: c.line } });
    } finally {
      for (const s of spies) s.mockRestore();
      out.mockRestore();
    }
    const all = written.join('\n');
    expect(all).toContain('event db login failed');
    expect(survivors(all, SECRET_CORPUS)).toEqual([]);
  });
});
