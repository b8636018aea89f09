import { Logger } from '@aws-lambda-powertools/logger';
import { buildIncidentView, createBotServices } from '../../../bot/core';
import { shortTitle } from '../../../bot/core/view-model';
import { LocalSlackApi, MessageBlocks } from '../../../bot/local/slack-api';
import { incidentBlocks, rejectModal } from '../../../bot/slack/blocks';
import { SlackCardPublisher } from '../../../bot/slack/cards';
import { createSlackClient } from '../../../bot/slack/client';
import { incidentCard } from '../../../bot/teams/cards';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { type IncidentNotice, NoticeKind } from '../../../providers/domain';
import { createRuntime, type Runtime } from '../../../providers/runtime';
import { BOT_TOKEN, incidentState, ONCALL } from './fixtures';

let api: LocalSlackApi;
let aws: MockAwsProviders;
let rt: Runtime;
let publisher: SlackCardPublisher;

beforeAll(async () => {
  api = new LocalSlackApi({ tokens: [BOT_TOKEN] });
  const url = await api.start();
  const config = loadConfig({ SLACK_API_URL: url, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_ONCALL_GROUP: ONCALL });
  aws = await createMockAwsProviders({ config });
  rt = await createRuntime(config, { aws });
  publisher = new SlackCardPublisher(createSlackClient(BOT_TOKEN, config), createBotServices(rt), {
    channel: config.SLACK_CHANNEL_ID,
    oncall_group: ONCALL,
    logger: new Logger({ serviceName: 'test', logLevel: 'ERROR' }),
  });
});
afterAll(async () => {
  await api.stop();
  await aws.close();
});

const huge = `${'The connection pool was exhausted because '.repeat(200)}end.`;
const notice = (
  kind: IncidentNotice['kind'],
  state: IncidentNotice['state'],
  extra: Partial<IncidentNotice> = {},
): IncidentNotice => ({
  kind,
  at: new Date(Date.now() + NoticeKind.options.indexOf(kind)).toISOString(),
  state,
  chat_refs: [],
  ...extra,
});

test.each(['auto', 'approval', 'escalate'] as const)(
  'every later state of a %s card is accepted by Slack limits, updates one message in place, and long text goes to the thread',
  async (route) => {
    const id = `inc-variant-${route}`;
    const state = incidentState({
      id,
      route,
      confidence: route === 'auto' ? 0.9 : route === 'approval' ? 0.7 : 0.3,
      evidence: 30,
      rootCause: huge.slice(0, 2000),
      remediation: route === 'auto' ? {} : undefined,
    });
    const before = api.calls.length;
    for (const kind of NoticeKind.options) {
      await publisher.deliver(
        notice(kind, state, {
          actor: 'U0APPROVER',
          detail: kind === 'failed' ? huge.slice(0, 3000) : undefined,
          execution_arn: 'arn:aws:states:us-east-1:123456789012:execution:bdp-main-workflow:run-1',
        }),
      );
    }
    const mine = api.calls.slice(before);
    const failures = mine.filter((c) => !c.ok);
    expect(failures).toEqual([]);
    const posts = mine.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined);
    expect(posts).toHaveLength(1);
    const updates = mine.filter((c) => c.method === 'chat.update');
    expect(updates).toHaveLength(NoticeKind.options.length - 1);
    const ts =
      api.messages.find(
        (m) => m.channel === 'C0INCIDENTS' && JSON.stringify(m.blocks).includes(id) && !m.thread_ts,
      )?.ts ?? '';
    const final = JSON.stringify(api.findMessage('C0INCIDENTS', ts)?.blocks);
    expect(final).toContain('Rolled back by <@U0APPROVER>');
    // every card version kept to the limits; the full evidence list went to the thread
    for (const u of updates) expect(MessageBlocks.safeParse(u.args.blocks).success).toBe(true);
    const thread = api.threadReplies('C0INCIDENTS', ts).map((m) => JSON.stringify(m.blocks));
    expect(thread.some((t) => t.includes('All evidence') && t.includes('30. Evidence claim number 30'))).toBe(
      true,
    );
    if (route === 'escalate') expect(JSON.stringify(posts[0]?.args.blocks)).toContain(`<!subteam^${ONCALL}>`);
    if (route === 'approval') expect(JSON.stringify(posts[0]?.args.blocks)).toContain('bdp_approve');
    if (route === 'auto') {
      const executed = updates[NoticeKind.options.indexOf('executed') - 1];
      expect(JSON.stringify(executed?.args.blocks)).toContain('bdp_rollback');
    }
  },
);

test('a notice older than the one shown never rolls the card back', async () => {
  const id = 'inc-variant-order';
  const state = incidentState({ id });
  const t0 = Date.now();
  await publisher.deliver({
    kind: 'approval_requested',
    at: new Date(t0).toISOString(),
    state,
    chat_refs: [],
  });
  await publisher.deliver({
    kind: 'approved',
    at: new Date(t0 + 10).toISOString(),
    state,
    actor: 'U0APPROVER',
    chat_refs: [],
  });
  await publisher.deliver({
    kind: 'approval_requested',
    at: new Date(t0 + 5).toISOString(),
    state,
    chat_refs: [],
  });
  const card = api.messages.find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(id));
  expect(JSON.stringify(card?.blocks)).toContain('Approved by');
  expect(JSON.stringify(card?.blocks)).not.toContain('bdp_approve');
});

test('two notices racing for a new incident make one card', async () => {
  const id = 'inc-variant-race';
  const state = incidentState({ id });
  const t0 = Date.now();
  await Promise.all([
    publisher.deliver({ kind: 'analyzed', at: new Date(t0).toISOString(), state, chat_refs: [] }),
    publisher.deliver({
      kind: 'approval_requested',
      at: new Date(t0 + 1).toISOString(),
      state,
      chat_refs: [],
    }),
  ]);
  const cards = api.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(id));
  expect(cards).toHaveLength(1);
});

test('text from logs cannot ping the channel or inject links', async () => {
  const id = 'inc-variant-inject';
  const state = incidentState({
    id,
    rootCause: 'payload said <!channel> and <https://evil.example|click> & more',
  });
  await publisher.deliver({ kind: 'analyzed', at: new Date().toISOString(), state, chat_refs: [] });
  const card = JSON.stringify(
    api.messages.find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(id))?.blocks,
  );
  expect(card).toContain('&lt;!channel&gt;');
  expect(card).not.toContain('<!channel>');
  expect(card).not.toContain('<https://evil.example');
});

test('a Slack outage on the first post gives the claim back, so the retry posts the card', async () => {
  const id = 'inc-variant-fault';
  const state = incidentState({ id });
  api.failNext(4, { status: 503 });
  await expect(
    publisher.deliver({ kind: 'analyzed', at: new Date().toISOString(), state, chat_refs: [] }),
  ).rejects.toThrow(/chat.postMessage of the card for inc-variant-fault failed/);
  await publisher.deliver({ kind: 'analyzed', at: new Date().toISOString(), state, chat_refs: [] });
  expect(api.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(id))).toHaveLength(1);
});

// ── What every card variant must never show (issue 19) ──────────────────────────────────────────
const TEMPLATE = 'consumer lag growing: <*> tasks cannot keep up with the shard (request <*>)';

/** A state whose anomalies carry negative lower bands, unit-bearing metrics and a template with placeholders. */
function trickyState(route: 'auto' | 'approval' | 'escalate') {
  const s = incidentState({
    id: `inc-tricky-${route}`,
    route,
    confidence: route === 'auto' ? 0.9 : route === 'approval' ? 0.7 : 0.2,
    rootCause: `Backlog: ${TEMPLATE} keeps rising.`,
    remediation: route === 'auto' ? {} : undefined,
  });
  const base = s.incident.anomalies[0]!;
  const metric = (namespace: string, metric_name: string, value: number, lower: number, upper: number) => ({
    ...base,
    metric: { ...base.metric!, namespace, metric_name, value, band: { lower, upper }, series: [1, 2, value] },
  });
  s.incident.title = `payments-api: ApproximateAgeOfOldestMessage (Maximum) above its anomaly band for 3 periods: 1620 vs -406.23-577.21`;
  s.incident.anomalies = [
    metric('AWS/SQS', 'ApproximateAgeOfOldestMessage', 1620, -406.23, 577.21),
    metric('AWS/Lambda', 'Duration', 8540, -8540, 1200),
    {
      ...base,
      source: 'rds_logs',
      metric: undefined,
      logs: {
        error_count: 14,
        baseline_count: 1,
        window_minutes: 5,
        template: TEMPLATE,
        samples: [],
        series: [],
      },
    },
  ];
  s.analysis!.evidence[0]!.claim = `14× WARN ${TEMPLATE}`;
  s.analysis!.evidence[1]!.claim =
    'ApproximateAgeOfOldestMessage is above its anomaly band (latest 1860, band -517.067–741.089)';
  return s;
}

/** mrkdwn of a Slack card with code spans and code blocks taken out: what Slack formats. */
function formattedText(blocks: unknown): string {
  const texts: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') texts.push(o.text);
      else if (o.type === 'plain_text' && typeof o.text === 'string') texts.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return texts
    .join('\n')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ');
}

describe.each(['auto', 'approval', 'escalate'] as const)('every %s card variant', (route) => {
  test.each(NoticeKind.options)('%s: placeholders only in code, bands not negative, units shown', (kind) => {
    const n = notice(kind, trickyState(route), { actor: 'U0APPROVER' });
    const view = buildIncidentView(n, { ...rt.config, oncall_group: ONCALL });
    const outside = formattedText(incidentBlocks(view).blocks);
    // <*> escaped for mrkdwn becomes &lt;*&gt;; either way a `*` outside code would pair into bold.
    expect(outside).not.toMatch(/<\*>|&lt;\*&gt;|⟨\*⟩/);
    expect(JSON.stringify(incidentBlocks(view).blocks)).toContain('`⟨*⟩`');
    const teamsJson = JSON.stringify(incidentCard(view));
    expect(teamsJson).not.toMatch(/<\*>/);
    // What Teams shows: TextBlock texts with their markdown escapes undone.
    const teams = [...teamsJson.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)]
      .map((m) => JSON.parse(`"${m[1]}"`).replace(/\\(.)/g, '$1'))
      .join('\n');
    for (const text of [outside, teams]) {
      expect(text).not.toMatch(/band -|–-/);
      expect(text).toMatch(
        /ApproximateAgeOfOldestMessage \(p95, 60 s, payments-api\) = 1,620 s \(27 min\) — above the band 0–577\.2 s/,
      );
      expect(text).toMatch(/Duration \(p95, 60 s, payments-api\) = 8,540 ms — above the band 0–1,200 ms/);
    }
    // The title says the service and what is wrong once, whole words, no figures.
    expect(view.header).toBe(
      '🟠 HIGH · payments-api — ApproximateAgeOfOldestMessage (Maximum) above its anomaly band',
    );
    if (view.confidence)
      expect(view.confidence.explain).toMatch(
        /Diagnosis confidence \d+%, action confidence \d+%.*covers acting/,
      );
  });
});

test('after Approve the executed, resolved and failed cards still name the approver, when and why', () => {
  const s = incidentState({ id: 'inc-approved-1', remediation: {} });
  s.approval = {
    status: 'approved',
    decided_by: 'U0APPROVER',
    decided_at: '2026-11-26T07:20:00.000Z',
    reason: 'go',
  };
  for (const kind of ['approved', 'executing', 'executed', 'resolved', 'not_resolved', 'failed'] as const) {
    const view = buildIncidentView(notice(kind, s, { actor: 'ana' }), rt.config);
    expect(JSON.stringify(incidentBlocks(view).blocks)).toContain(
      'Approved by <@U0APPROVER> at 2026-11-26 07:20 UTC — “go”',
    );
    expect(JSON.stringify(incidentCard(view))).toContain('Approved by U0APPROVER at 2026-11-26 07:20 UTC');
  }
});

test('long and on-demand titles: service once, first clause, no surface ids', () => {
  expect(
    shortTitle(
      'orders-db',
      'orders-db: 18 ERROR/FATAL log rows in 5 min (18 FATAL), baseline predicts 0 (18×); mostly "FATAL: remaining connection slots are reserved"',
    ),
  ).toBe('18 ERROR/FATAL log rows in 5 min (18 FATAL)');
  expect(shortTitle('orders-db', 'Analysis requested by slack:U0APPROVER: no anomaly detected')).toBe(
    'On-demand analysis: no anomaly detected',
  );
});

test('a clear diagnosis with no allowed action explains why the number is low', () => {
  const s = incidentState({ id: 'inc-noaction-1', route: 'escalate', confidence: 0.2 });
  s.analysis!.confidence = {
    evidence_sufficiency: 0.9,
    logical_consistency: 0.9,
    actionability: 0.1,
    total: 0.2,
  };
  const view = buildIncidentView(notice('analyzed', s), rt.config);
  expect(view.confidence?.explain).toMatch(
    /Diagnosis confidence 90%, action confidence 10%.*no allowed action fits/,
  );
});

test('a pending approval whose signal recovered says so instead of asking for the action', () => {
  const s = incidentState({ id: 'inc-recovered-1' });
  s.verification = {
    incident_id: 'inc-recovered-1',
    resolved: true,
    checked_at: '2026-11-26T07:30:00.000Z',
    detail: 'ok',
  };
  const view = buildIncidentView(notice('approval_requested', s), rt.config);
  expect(view.status).toMatch(/^Recovered on its own at 2026-11-26 07:30 UTC/);
  expect(view.tone).toBe('good');
});

test('on-demand cards name the requester as a mention, the approval deadline is on the card, the reject modal says (optional) once', () => {
  const s = incidentState({ id: 'inc-ondemand-1' });
  s.incident.trigger = 'slack:U0APPROVER';
  const view = buildIncidentView(notice('approval_requested', s), {
    ...rt.config,
    APPROVAL_TIMEOUT_SECONDS: 3600,
  });
  const json = JSON.stringify(incidentBlocks(view).blocks);
  expect(json).toContain('requested by <@U0APPROVER>');
  expect(json).not.toContain('slack:U0APPROVER');
  expect(json).toMatch(/Approve or reject by \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  const modal = JSON.stringify(rejectModal({ incident_id: 'inc-ondemand-1', channel: 'C1' }));
  expect(modal).not.toMatch(/\(optional\)/);
});
