import { buildIncidentView, helpReply } from '../../../bot/core';
import { commandText } from '../../../bot/teams/bot';
import {
  commandReplyText,
  escapeCardMarkdown,
  incidentCard,
  TEAMS_LIMITS,
  textCard,
} from '../../../bot/teams/cards';
import { inThread, splitThread, toStored } from '../../../bot/teams/conversations';
import { loadConfig } from '../../../providers/config';
import { type IncidentNotice, NoticeKind } from '../../../providers/domain';
import { incidentState } from '../../integration/slack/fixtures';
import { cardProblems } from './validate-card';

const config = loadConfig({});
const huge = `${'The connection pool was exhausted because '.repeat(200)}end.`;
const notice = (
  kind: IncidentNotice['kind'],
  state: IncidentNotice['state'],
  extra: Partial<IncidentNotice> = {},
) => ({ kind, at: new Date().toISOString(), state, chat_refs: [], ...extra }) as IncidentNotice;
const cardFor = (n: IncidentNotice) =>
  incidentCard(buildIncidentView(n, { ...config, oncall_group: 'oncall-dba' }));
const text = (v: unknown) => JSON.stringify(v);

/** Every Action.Execute in the card (ShowCard sub-cards included), as verb → data. */
function executes(card: unknown): { verb: string; data: unknown; fallback: unknown }[] {
  const out: { verb: string; data: unknown; fallback: unknown }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'Action.Execute') out.push({ verb: String(o.verb), data: o.data, fallback: o.fallback });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('incident cards as Adaptive Cards 1.5', () => {
  test.each(['auto', 'approval', 'escalate'] as const)(
    'every notice kind of a %s incident renders a card the adaptivecards parser accepts without warnings',
    (route) => {
      const state = incidentState({
        id: `inc-variant-${route}`,
        route,
        confidence: route === 'auto' ? 0.9 : route === 'approval' ? 0.7 : 0.3,
        evidence: 30,
        rootCause: huge.slice(0, 2000),
        remediation: route === 'auto' ? {} : undefined,
      });
      for (const kind of NoticeKind.options) {
        const card = cardFor(notice(kind, state, { actor: 'Alice Approver', detail: 'reason <b>x</b>' }));
        expect({ kind, problems: cardProblems(card) }).toEqual({ kind, problems: [] });
        expect(Buffer.byteLength(text(card))).toBeLessThan(TEAMS_LIMITS.cardBytes);
      }
    },
  );

  test('an approval card offers Approve (Execute with Submit fallback) and Reject with a reason input; data is the incident id only', () => {
    const card = cardFor(notice('approval_requested', incidentState({ id: 'inc-card-approve-1' })));
    const actions = executes(card);
    expect(actions.map((a) => a.verb)).toEqual(['bdp.approve', 'bdp.reject']);
    for (const a of actions) {
      expect(a.data).toEqual({ incident_id: 'inc-card-approve-1' });
      expect(a.fallback).toMatchObject({
        type: 'Action.Submit',
        data: { verb: a.verb, incident_id: 'inc-card-approve-1' },
      });
    }
    expect(text(card)).toContain('"type":"Input.Text","id":"reason"');
    expect(text(card)).toContain(
      'Approve runs: Restart Lambda function on payments-api with function\\\\_name=payments-api',
    );
  });

  test('a decided card says who and when and has no buttons left', () => {
    const card = cardFor(
      notice('approved', incidentState({ id: 'inc-card-decided-1' }), { actor: 'Alice Approver' }),
    );
    expect(executes(card)).toEqual([]);
    expect(text(card)).toMatch(/Approved by Alice Approver at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  });

  test('an executed, undoable action offers Rollback; an escalation offers nothing and names the on-call group', () => {
    const auto = cardFor(
      notice(
        'executed',
        incidentState({ id: 'inc-card-auto-1', route: 'auto', confidence: 0.9, remediation: {} }),
      ),
    );
    expect(executes(auto).map((a) => a.verb)).toEqual(['bdp.rollback']);
    expect(text(auto)).toContain('Action taken:');
    const esc = cardFor(
      notice('analyzed', incidentState({ id: 'inc-card-esc-1', route: 'escalate', confidence: 0.3 })),
    );
    expect(executes(esc)).toEqual([]);
    expect(text(esc)).toContain('none — a person needs to look at this');
    expect(text(esc)).toContain('On call: oncall-dba');
  });

  test('more evidence than the card holds says how many more; parameters keep their lines', () => {
    const card = cardFor(notice('analyzed', incidentState({ id: 'inc-card-ev-1', evidence: 8 })));
    expect(text(card)).toContain('+3 more in the thread');
    expect(text(card)).toContain(
      '"text":"\\u00a0\\u00a0\\"function\\\\_name\\": \\"payments-api\\""'.replace(/\\u00a0/g, '\u00a0'),
    );
  });

  test('text from logs or the LLM cannot become a link or formatting on the card', () => {
    const card = cardFor(
      notice(
        'analyzed',
        incidentState({ id: 'inc-card-md-1', rootCause: 'see [this](http://evil.example) **now**' }),
      ),
    );
    expect(text(card)).not.toContain('[this](http');
    expect(text(card)).toContain('see \\\\[this\\\\]\\\\(http://evil.example\\\\) \\\\*\\\\*now\\\\*\\\\*');
    expect(escapeCardMarkdown('- item\n1. two')).toBe('\\- item\n1\\. two');
  });

  test('text longer than a TextBlock holds is cut at a word with an ellipsis', () => {
    const card = textCard('Answer', huge);
    const blocks = card.body as { text: string }[];
    const body = blocks[1]?.text ?? '';
    expect(body.length).toBeLessThanOrEqual(TEAMS_LIMITS.textBlock);
    expect(body).toMatch(/ [A-Za-z]+…$/);
    expect(huge.startsWith(body.slice(0, -1))).toBe(true);
  });

  test('thread and answer cards validate too', () => {
    expect(cardProblems(textCard('All evidence', '1. a\n2. b'))).toEqual([]);
  });
});

describe('command text', () => {
  test('mentions, markup and a leading /bdp are stripped; the words stay', () => {
    expect(commandText('<at>BDP</at> analyze payments-api')).toBe('analyze payments-api');
    expect(commandText('<p><at>BDP Agent</at>&nbsp;status</p>')).toBe('status');
    expect(commandText('/bdp history orders-db 3')).toBe('history orders-db 3');
    expect(commandText('bdp help')).toBe('help');
  });

  test('replies name the Teams words, not the Slack command, and keep angle brackets visible', () => {
    const t = commandReplyText(helpReply());
    expect(t.startsWith('**BDP Agent commands**')).toBe(true);
    expect(t).toContain('- `analyze ‹service›`');
    expect(t).not.toContain('/bdp');
    expect(t).not.toContain('<');
  });
});

describe('conversation references', () => {
  test('a reply chain id splits into the channel and the card id, and back', () => {
    expect(splitThread('19:abc@thread.tacv2;messageid=1717')).toEqual({
      base: '19:abc@thread.tacv2',
      root: '1717',
    });
    expect(splitThread('a:personal-chat')).toEqual({ base: 'a:personal-chat' });
    const ref = toStored({
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      conversation: { id: '19:abc@thread.tacv2;messageid=1717', conversationType: 'channel' },
    });
    expect(ref.conversation.id).toBe('19:abc@thread.tacv2');
    expect(inThread(ref, '42').conversation.id).toBe('19:abc@thread.tacv2;messageid=42');
  });

  test('a reference without a usable serviceUrl is refused with a message naming it', () => {
    expect(() =>
      toStored({ channelId: 'msteams', serviceUrl: 'javascript:alert(1)', conversation: { id: 'x' } }),
    ).toThrow(/serviceUrl/);
  });
});
