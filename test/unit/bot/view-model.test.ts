import { buildIncidentView, MAX_CARD_EVIDENCE } from '../../../bot/core/view-model';
import { MessageBlocks, ModalView } from '../../../bot/local/slack-api';
import { incidentBlocks, rejectModal, replyBlocks, textBlocks } from '../../../bot/slack/blocks';
import { loadConfig } from '../../../providers/config';
import { type IncidentNotice, NoticeKind } from '../../../providers/domain';
import { incidentState } from '../../integration/slack/fixtures';

const config = { ...loadConfig({}), oncall_group: 'S0ONCALL' };
const notice = (
  kind: IncidentNotice['kind'],
  o: Parameters<typeof incidentState>[0] = {},
  extra: Partial<IncidentNotice> = {},
) =>
  ({
    kind,
    at: '2026-11-26T07:15:00.000Z',
    state: incidentState(o),
    chat_refs: [],
    ...extra,
  }) as IncidentNotice;

describe('incident view-model', () => {
  test('the approval card: header, signal with trend, ≤5 evidence, confidence parts, action parameters, links, footer', () => {
    const v = buildIncidentView(
      notice(
        'analyzed',
        { evidence: 8 },
        { execution_arn: 'arn:aws:states:us-east-1:123456789012:execution:m:run-1' },
      ),
      config,
    );
    expect(v.header).toBe('🟠 HIGH · payments-api — p95 latency above the anomaly band');
    expect(v.signals[0]?.text).toBe(
      'Duration (p95, 60 s, payments-api) = 2,300 ms — above the band 120–400 ms',
    );
    expect(v.signals[0]?.trend).toMatch(/^[▁▂▃▄▅▆▇█]{8}$/);
    expect(v.evidence).toHaveLength(MAX_CARD_EVIDENCE);
    expect(v.all_evidence).toHaveLength(8);
    expect(v.confidence?.text).toBe('72% (evidence 80% · consistency 70% · actionability 60%)');
    expect(JSON.parse(v.action?.parameters ?? '{}')).toEqual({ function_name: 'payments-api' });
    expect(v.action?.risk).toBe('low');
    expect(v.buttons).toEqual(['approve', 'reject']);
    expect(v.links.map((l) => l.label)).toEqual(['Duration in CloudWatch', 'Workflow run']);
    expect(v.links[0]?.url).toContain('cloudwatch/home?region=us-east-1#metricsV2');
    expect(v.links[1]?.url).toContain(
      'states/home?region=us-east-1#/v2/executions/details/arn%3Aaws%3Astates',
    );
    expect(v.footer).toMatch(
      /^inc-20261126-payments-1 · detected \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC · trigger schedule$/,
    );
  });

  test('escalated cards propose nothing and mention the on-call group; auto cards have no approval buttons', () => {
    const esc = buildIncidentView(notice('analyzed', { route: 'escalate', confidence: 0.3 }), config);
    expect(esc.action).toBeUndefined();
    expect(esc.buttons).toEqual([]);
    expect(esc.mention_group).toBe('S0ONCALL');
    const auto = buildIncidentView(notice('analyzed', { route: 'auto', confidence: 0.9 }), config);
    expect(auto.buttons).toEqual([]);
    expect(auto.status).toContain('remediating automatically');
  });

  test('buttons that no longer apply are gone in later states; rollback only while an executed action can be undone', () => {
    const kinds = Object.fromEntries(
      NoticeKind.options.map((k) => [
        k,
        buildIncidentView(notice(k, { route: 'auto', remediation: {} }), config).buttons,
      ]),
    );
    expect(kinds.executed).toEqual(['rollback']);
    expect(kinds.resolved).toEqual(['rollback']);
    expect(kinds.rolled_back).toEqual([]);
    expect(kinds.failed).toEqual([]);
    expect(kinds.approved).toEqual([]);
    const dry = buildIncidentView(
      notice('executed', { route: 'auto', remediation: { dry_run: true } }),
      config,
    );
    expect(dry.buttons).toEqual([]);
    expect(dry.status).toContain('(dry run)');
  });

  test('who decided and when is on the card', () => {
    const v = buildIncidentView(
      notice('rejected', {}, { actor: 'U0ALICE', detail: 'not during peak' }),
      config,
    );
    expect(v.status).toBe('Rejected by U0ALICE at 2026-11-26 07:15 UTC');
    expect(v.detail).toBe('not during peak');
  });
});

describe('Block Kit rendering stays within Slack limits', () => {
  test.each(NoticeKind.options)('%s with huge text and 50 evidence items', (kind) => {
    const long = 'word '.repeat(1000);
    const v = buildIncidentView(
      notice(
        kind,
        { evidence: 50, rootCause: long.slice(0, 2000), remediation: {} },
        { detail: long.slice(0, 3000), actor: 'U1' },
      ),
      config,
    );
    const card = incidentBlocks({ ...v, header: `${v.header} ${long}`, root_cause: long.repeat(2) });
    const parsed = MessageBlocks.safeParse(card.blocks);
    expect(parsed.error?.issues ?? []).toEqual([]);
    const header = card.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text.endsWith('…')).toBe(true);
    expect(card.overflow.some((o) => o.startsWith('*Root cause (full text)*'))).toBe(true);
  });

  test('the reject modal and long replies are valid too', () => {
    expect(
      ModalView.safeParse(rejectModal({ incident_id: 'inc-abcdef', channel: 'C1', message_ts: '1.2' }))
        .success,
    ).toBe(true);
    const blocks = textBlocks('paragraph of text. '.repeat(2000));
    expect(MessageBlocks.safeParse(blocks).success).toBe(true);
    const reply = replyBlocks({
      title: 't',
      lines: Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(100)}`),
    });
    expect(MessageBlocks.safeParse(reply.blocks).success).toBe(true);
  });
});
