import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest } from '@slack/bolt';
import { LocalSlackApi } from '../../../bot/local/slack-api';
import { findButton, type RunningWebServer, startWebServer } from '../../../bot/local/web/server';
import {
  buttonClick,
  messageEvent,
  signEvent,
  signInteraction,
  signSlashCommand,
  slashCommand,
  viewSubmission,
  type Workspace,
} from '../../../bot/local/web/slack-requests';

const SECRET = 'local-signing-secret-for-tests';
const WS: Workspace = {
  team_id: 'T0LOCAL',
  team_domain: 'bdp-local',
  api_app_id: 'A0BDPLOCAL',
  channel_id: 'C0INCIDENTS',
  channel_name: 'incidents',
};
const valid = (r: { body: string; headers: Record<string, string> }, secret = SECRET) =>
  isValidSlackRequest({
    signingSecret: secret,
    body: r.body,
    headers: {
      'x-slack-signature': r.headers['x-slack-signature']!,
      'x-slack-request-timestamp': Number(r.headers['x-slack-request-timestamp']),
    },
  });

describe('Slack-shaped requests', () => {
  const click = buttonClick(WS, {
    user_id: 'U0APPROVER',
    user_name: 'ana',
    action_id: 'bdp_approve',
    block_id: 'bdp_actions',
    value: 'inc-1',
    text: 'Approve',
    message: { ts: '1.000001', text: 'card' },
    response_url: 'http://127.0.0.1:1/slack/response/x',
    trigger_id: 't1',
  });

  it("every kind verifies with Bolt's own verifier", () => {
    const cmd = slashCommand(WS, {
      text: 'analyze orders-db',
      user_id: 'U0APPROVER',
      user_name: 'ana',
      response_url: 'http://127.0.0.1:1/r',
      trigger_id: 't',
    });
    const view = viewSubmission(WS, {
      user_id: 'U0APPROVER',
      user_name: 'ana',
      view_id: 'V1',
      callback_id: 'bdp_reject_modal',
      title: 'Reject',
      private_metadata: '{"incident_id":"inc-1"}',
      bot_id: 'B0',
      values: { reason: { reason_input: 'too risky' } },
      trigger_id: 't2',
    });
    const event = messageEvent(WS, {
      user: 'U0VIEWER',
      text: 'why?',
      ts: '2.000001',
      thread_ts: '1.000001',
      bot_user_id: 'U0BOT',
    });
    for (const r of [
      signSlashCommand(SECRET, cmd),
      signInteraction(SECRET, click),
      signInteraction(SECRET, view),
      signEvent(SECRET, event),
    ]) {
      expect(valid(r)).toBe(true);
      expect(valid(r, 'another-secret')).toBe(false);
      expect(valid({ ...r, body: `${r.body} ` })).toBe(false);
    }
  });

  it('a stale signature is refused (Bolt allows five minutes)', () => {
    const r = signInteraction(SECRET, click, Date.now() - 6 * 60_000);
    expect(valid(r)).toBe(false);
  });

  it('carries what Bolt reads: form payload for clicks, form fields for commands, JSON for events', () => {
    const r = signInteraction(SECRET, click);
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const payload = JSON.parse(new URLSearchParams(r.body).get('payload')!);
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0APPROVER' },
      actions: [{ action_id: 'bdp_approve', value: 'inc-1' }],
      container: { channel_id: 'C0INCIDENTS', message_ts: '1.000001' },
    });
    const cmd = new URLSearchParams(
      signSlashCommand(
        SECRET,
        slashCommand(WS, {
          text: 'help',
          user_id: 'U1',
          user_name: 'u',
          response_url: 'http://127.0.0.1:1/r',
          trigger_id: 't',
        }),
      ).body,
    );
    expect(cmd.get('command')).toBe('/bdp');
    expect(cmd.get('text')).toBe('help');
    const ev = signEvent(
      SECRET,
      messageEvent(WS, { user: 'U1', text: 'q', ts: '3.1', thread_ts: '1.1', bot_user_id: 'U0BOT' }),
    );
    expect(JSON.parse(ev.body)).toMatchObject({
      type: 'event_callback',
      event: { type: 'message', thread_ts: '1.1', channel: 'C0INCIDENTS' },
    });
  });

  it('a button is found in the stored blocks only', () => {
    const blocks = [
      {
        type: 'actions',
        block_id: 'bdp_actions',
        elements: [
          {
            type: 'button',
            action_id: 'bdp_approve',
            value: 'inc-9',
            text: { type: 'plain_text', text: 'Approve' },
          },
        ],
      },
    ];
    expect(findButton(blocks, 'bdp_actions', 'bdp_approve')).toEqual({ value: 'inc-9', text: 'Approve' });
    expect(findButton(blocks, 'bdp_actions', 'bdp_rollback')).toBeUndefined();
    expect(findButton(blocks, 'other', 'bdp_approve')).toBeUndefined();
  });
});

describe('the workspace server between the page and the bot', () => {
  let api: LocalSlackApi;
  let bot: Server;
  let web: RunningWebServer;
  const received: { path: string; body: string; valid: boolean; contentType: string }[] = [];
  let ackBody: unknown = '';

  beforeAll(async () => {
    api = new LocalSlackApi({ tokens: ['xoxb-t'] });
    await api.start();
    bot = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = isValidSlackRequest({
        signingSecret: SECRET,
        body,
        headers: {
          'x-slack-signature': String(req.headers['x-slack-signature']),
          'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
        },
      });
      received.push({
        path: req.url ?? '',
        body,
        valid: ok,
        contentType: String(req.headers['content-type']),
      });
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(typeof ackBody === 'string' ? ackBody : JSON.stringify(ackBody));
    });
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', () => r()));
    web = await startWebServer({
      slackApi: api,
      boltUrl: `http://127.0.0.1:${(bot.address() as AddressInfo).port}/slack/events`,
      signingSecret: SECRET,
      workspace: WS,
      users: [
        { id: 'U0APPROVER', name: 'ana', role: 'Ana' },
        { id: 'U0VIEWER', name: 'ben', role: 'Ben' },
      ],
      port: 0,
    });
  });
  afterAll(async () => {
    await web.stop();
    await api.stop();
    bot.closeAllConnections();
    await new Promise<void>((r) => bot.close(() => r()));
  });
  beforeEach(() => {
    received.length = 0;
    ackBody = '';
  });

  const post = (path: string, body: unknown) =>
    fetch(`${web.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const privateOf = async (user: string) =>
    (
      (await (await fetch(`${web.url}/api/state?user=${user}`)).json()) as { private: { text: string }[] }
    ).private.map((p) => p.text);

  it('serves the page with a strict content security policy', async () => {
    const res = await fetch(`${web.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('data-testid="composer"');
  });

  it('a slash command reaches the bot signed, and its reply is shown only to the person who typed it', async () => {
    ackBody = { response_type: 'ephemeral', text: 'BDP Agent commands' };
    const res = await post('/api/command', { user: 'U0VIEWER', text: '/bdp help' });
    expect(res.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.valid).toBe(true);
    expect(new URLSearchParams(received[0]!.body).get('user_id')).toBe('U0VIEWER');
    expect(await privateOf('U0VIEWER')).toContain('BDP Agent commands');
    expect(await privateOf('U0APPROVER')).not.toContain('BDP Agent commands');
  });

  it('a response_url post goes to the user the command came from', async () => {
    await post('/api/command', { user: 'U0APPROVER', text: '/bdp status' });
    const responseUrl = new URLSearchParams(received[0]!.body).get('response_url')!;
    expect(responseUrl.startsWith(`${web.url}/slack/response/`)).toBe(true);
    await fetch(responseUrl, { method: 'POST', body: JSON.stringify({ text: 'later answer' }) });
    expect(await privateOf('U0APPROVER')).toContain('later answer');
    expect(await privateOf('U0VIEWER')).not.toContain('later answer');
  });

  it('another slash command is not sent to the bot', async () => {
    await post('/api/command', { user: 'U0APPROVER', text: '/giphy cats' });
    expect(received).toHaveLength(0);
    expect((await privateOf('U0APPROVER')).some((t) => t.includes('/giphy is not a valid command'))).toBe(
      true,
    );
  });

  it('a click is sent with the value from the stored message, and an unknown button is refused', async () => {
    const card = await fetch(`${api.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-t', 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'C0INCIDENTS',
        text: 'card',
        blocks: [
          {
            type: 'actions',
            block_id: 'bdp_actions',
            elements: [
              {
                type: 'button',
                action_id: 'bdp_approve',
                value: 'inc-42',
                text: { type: 'plain_text', text: 'Approve' },
              },
            ],
          },
        ],
      }),
    }).then((r) => r.json() as Promise<{ ts: string }>);
    const ok = await post('/api/action', {
      user: 'U0APPROVER',
      message_ts: card.ts,
      block_id: 'bdp_actions',
      action_id: 'bdp_approve',
    });
    expect(ok.status).toBe(200);
    const payload = JSON.parse(new URLSearchParams(received[0]!.body).get('payload')!);
    expect(payload.actions[0].value).toBe('inc-42');
    expect(payload.user.id).toBe('U0APPROVER');
    const bad = await post('/api/action', {
      user: 'U0APPROVER',
      message_ts: card.ts,
      block_id: 'bdp_actions',
      action_id: 'bdp_rollback',
    });
    expect(bad.status).toBe(400);
    expect(received).toHaveLength(1);
  });

  it('a thread reply is stored and delivered as a message event with thread_ts', async () => {
    const parent = api.postAsUser('U0APPROVER', 'C0INCIDENTS', 'parent');
    const res = await post('/api/message', { user: 'U0VIEWER', text: 'what changed?', thread_ts: parent.ts });
    expect(res.status).toBe(200);
    const ev = JSON.parse(received[0]!.body);
    expect(ev.event).toMatchObject({
      type: 'message',
      user: 'U0VIEWER',
      text: 'what changed?',
      thread_ts: parent.ts,
    });
    expect(received[0]!.contentType).toBe('application/json');
    expect(api.threadReplies('C0INCIDENTS', parent.ts).map((m) => m.text)).toEqual(['what changed?']);
  });

  it('bad input gets a 400 naming what was wrong; unknown users are refused', async () => {
    const r1 = await post('/api/message', { user: 'U0APPROVER', text: '   ' });
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { error: string }).error).toMatch(/^text/);
    const r2 = await post('/api/command', { user: 'U0MALLORY', text: '/bdp help' });
    expect(r2.status).toBe(400);
    expect(received).toHaveLength(0);
  });
});
