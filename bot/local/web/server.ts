import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import type { LocalSlackApi, SlackApiChange, StoredMessage } from '../slack-api';
import {
  buttonClick,
  deliver,
  messageEvent,
  signEvent,
  signInteraction,
  signSlashCommand,
  slashCommand,
  viewSubmission,
  type Workspace,
} from './slack-requests';

export interface LocalUser {
  id: string;
  name: string;
  /** Shown in the user switch; the approver policy itself is SLACK_APPROVERS. */
  role: string;
}

/** A message only one person sees: chat.postEphemeral, a slash command's reply, a response_url post. */
export interface PrivateMessage {
  ts: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

export interface WebServerOptions {
  slackApi: LocalSlackApi;
  /** Bolt's `/slack/events` URL. */
  boltUrl: string;
  signingSecret: string;
  workspace: Workspace;
  users: LocalUser[];
  /** 0 picks a free port; always 127.0.0.1. */
  port: number;
  /** The simulated clock, shown on the page (message times, cards and the header all read it). */
  clock?: { nowMs(): number; speed: number };
  /** Shown on the page beside the clock: how long an approval waits, in simulated seconds. */
  approval_timeout_seconds?: number;
  /** Where this instance writes its log (shown on the local console page). */
  log_file?: string;
  /** Mentionable groups (id → handle), e.g. the on-call user group. */
  groups?: Record<string, string>;
}

export interface RunningWebServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

const PAGE_DIR = join(__dirname, 'page');
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/blocks.js': { file: 'blocks.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
/** The page runs only its own files: no inline script, nothing from elsewhere. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MAX_BODY = 64 * 1024;
const MAX_PRIVATE_PER_USER = 200;

const CommandBody = z.object({ user: z.string().min(1), text: z.string().min(1).max(4000) });
const MessageBody = z.object({
  user: z.string().min(1),
  text: z.string().trim().min(1).max(4000),
  thread_ts: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
});
const ActionBody = z.object({
  user: z.string().min(1),
  message_ts: z.string().min(1),
  block_id: z.string().min(1),
  action_id: z.string().min(1),
});
const ViewBody = z.object({
  user: z.string().min(1),
  view_id: z.string().min(1),
  values: z.record(z.string(), z.record(z.string(), z.string().max(3000).nullable())),
});

class BadRequest extends Error {}

/**
 * The workspace page and the Slack side of the conversation: the page posts what a person did, this
 * server turns it into the request Slack would send (signed), delivers it to the bot's Bolt endpoint,
 * and pushes every change of the local Slack API to the page over server-sent events. Private
 * messages (ephemerals, slash-command replies, response_url posts) go only to their user's streams.
 */
export async function startWebServer(o: WebServerOptions): Promise<RunningWebServer> {
  const users = new Map(o.users.map((u) => [u.id, u]));
  const privateByUser = new Map<string, PrivateMessage[]>();
  const streams = new Set<{ user: string; res: ServerResponse }>();
  /** trigger_id → the user whose click produced it (views.open names only the trigger). */
  const triggers = new Map<string, string>();
  /** response_url id → who and where (the bot may answer a command later through it). */
  const responseUrls = new Map<string, { user: string; thread_ts?: string }>();
  const openViews = new Map<
    string,
    { user: string; callback_id: string; title: string; private_metadata: string }
  >();
  let seq = 0;
  let baseUrl = '';

  const send = (user: string | undefined, event: string, data: unknown) => {
    const line = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const s of streams) if (user === undefined || s.user === user) s.res.write(line);
  };
  const nextTs = () =>
    `${Math.floor(Date.now() / 1000)}.${String(900_000 + (++seq % 100_000)).padStart(6, '0')}`;
  const addPrivate = (m: PrivateMessage) => {
    const list = privateByUser.get(m.user) ?? [];
    list.push(m);
    if (list.length > MAX_PRIVATE_PER_USER) list.splice(0, list.length - MAX_PRIVATE_PER_USER);
    privateByUser.set(m.user, list);
    send(m.user, 'private', m);
  };
  const newTrigger = (user: string) => {
    const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    triggers.set(id, user);
    if (triggers.size > 500) triggers.delete(triggers.keys().next().value as string);
    return id;
  };
  const newResponseUrl = (user: string, thread_ts?: string) => {
    const id = randomUUID();
    responseUrls.set(id, { user, thread_ts });
    if (responseUrls.size > 500) responseUrls.delete(responseUrls.keys().next().value as string);
    return `${baseUrl}/slack/response/${id}`;
  };

  const onChange = (c: SlackApiChange) => {
    if (c.kind === 'posted' || c.kind === 'updated') {
      if (c.message.channel === o.workspace.channel_id) send(undefined, c.kind, c.message);
    } else if (c.kind === 'ephemeral') {
      const e = c.ephemeral;
      addPrivate({ ts: e.ts, user: e.user, text: e.text, blocks: e.blocks, thread_ts: e.thread_ts });
    } else if (c.kind === 'view_opened') {
      const user = triggers.get(c.view.trigger_id);
      if (!user) return;
      const v = c.view.view;
      openViews.set(c.view.id, {
        user,
        callback_id: v.callback_id ?? '',
        title: v.title.text,
        private_metadata: v.private_metadata ?? '',
      });
      send(user, 'view', { id: c.view.id, view: v });
    }
  };
  o.slackApi.on('change', onChange);

  const userOf = (id: string): LocalUser => {
    const u = users.get(id);
    if (!u) throw new BadRequest(`unknown user ${id}`);
    return u;
  };

  async function command(body: z.infer<typeof CommandBody>): Promise<void> {
    const u = userOf(body.user);
    const text = body.text.trim();
    const m = /^(\/\S+)\s*([\s\S]*)$/.exec(text);
    if (m?.[1] !== '/bdp') {
      addPrivate({
        ts: nextTs(),
        user: u.id,
        text: `${m?.[1] ?? text} is not a valid command. Try /bdp help.`,
      });
      return;
    }
    const cmd = slashCommand(o.workspace, {
      text: m[2]!.trim(),
      user_id: u.id,
      user_name: u.name,
      response_url: newResponseUrl(u.id),
      trigger_id: newTrigger(u.id),
    });
    const res = await deliver(o.boltUrl, signSlashCommand(o.signingSecret, cmd));
    if (res.status !== 200) throw new Error(`the bot answered /bdp with HTTP ${res.status}`);
    // Slack shows a command's ack body to the person who typed it.
    const reply = res.body as { text?: string; blocks?: unknown[] } | undefined;
    if (reply && typeof reply === 'object' && (reply.text || reply.blocks))
      addPrivate({ ts: nextTs(), user: u.id, text: reply.text ?? '', blocks: reply.blocks });
  }

  async function message(body: z.infer<typeof MessageBody>): Promise<StoredMessage> {
    const u = userOf(body.user);
    if (body.thread_ts && !o.slackApi.findMessage(o.workspace.channel_id, body.thread_ts))
      throw new BadRequest('no such thread');
    // Slack stores (and sends apps) a person's text with &, < and > escaped.
    const text = body.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const posted = o.slackApi.postAsUser(u.id, o.workspace.channel_id, text, body.thread_ts);
    const envelope = messageEvent(o.workspace, {
      user: u.id,
      text: posted.text,
      ts: posted.ts,
      thread_ts: posted.thread_ts,
      bot_user_id: o.slackApi.botUserId,
    });
    const res = await deliver(o.boltUrl, signEvent(o.signingSecret, envelope));
    if (res.status !== 200) throw new Error(`the bot answered the message event with HTTP ${res.status}`);
    return posted;
  }

  async function action(body: z.infer<typeof ActionBody>): Promise<void> {
    const u = userOf(body.user);
    const msg = o.slackApi.findMessage(o.workspace.channel_id, body.message_ts);
    if (!msg) throw new BadRequest('no such message');
    // The button comes from the stored message, as on Slack: the page names it, never its value.
    const button = findButton(msg.blocks, body.block_id, body.action_id);
    if (!button) throw new BadRequest(`message ${body.message_ts} has no button ${body.action_id}`);
    const payload = buttonClick(o.workspace, {
      user_id: u.id,
      user_name: u.name,
      action_id: body.action_id,
      block_id: body.block_id,
      value: button.value,
      text: button.text,
      message: { ts: msg.ts, text: msg.text, blocks: msg.blocks, thread_ts: msg.thread_ts },
      response_url: newResponseUrl(u.id, msg.thread_ts),
      trigger_id: newTrigger(u.id),
    });
    const res = await deliver(o.boltUrl, signInteraction(o.signingSecret, payload));
    if (res.status !== 200) throw new Error(`the bot answered the click with HTTP ${res.status}`);
  }

  async function submitView(body: z.infer<typeof ViewBody>): Promise<void> {
    const u = userOf(body.user);
    const view = openViews.get(body.view_id);
    if (!view || view.user !== u.id) throw new BadRequest('no such open view');
    openViews.delete(body.view_id);
    const payload = viewSubmission(o.workspace, {
      user_id: u.id,
      user_name: u.name,
      view_id: body.view_id,
      callback_id: view.callback_id,
      title: view.title,
      private_metadata: view.private_metadata,
      bot_id: o.slackApi.botId,
      values: body.values,
      trigger_id: newTrigger(u.id),
    });
    const res = await deliver(o.boltUrl, signInteraction(o.signingSecret, payload));
    if (res.status !== 200) throw new Error(`the bot answered the form with HTTP ${res.status}`);
  }

  function responseUrl(id: string, raw: string): void {
    const target = responseUrls.get(id);
    if (!target) throw new BadRequest('unknown response_url');
    const parsed = z
      .object({ text: z.string().optional(), blocks: z.array(z.unknown()).optional() })
      .safeParse(safeJson(raw));
    if (!parsed.success) throw new BadRequest('response_url body must be JSON with text or blocks');
    addPrivate({
      ts: nextTs(),
      user: target.user,
      text: parsed.data.text ?? '',
      blocks: parsed.data.blocks,
      thread_ts: target.thread_ts,
    });
  }

  function state(user: string) {
    return {
      workspace: { name: 'BDP Local', team_id: o.workspace.team_id },
      channel: { id: o.workspace.channel_id, name: o.workspace.channel_name },
      bot: { user_id: o.slackApi.botUserId, name: 'BDP Agent' },
      users: o.users,
      groups: o.groups ?? {},
      // Simulated and real time at the same instant: the page maps message times onto the simulated clock.
      clock: o.clock ? { sim_ms: o.clock.nowMs(), real_ms: Date.now(), speed: o.clock.speed } : null,
      approval_timeout_seconds: o.approval_timeout_seconds ?? null,
      messages: o.slackApi.messages.filter((m) => m.channel === o.workspace.channel_id),
      private: privateByUser.get(user) ?? [],
    };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (req.method === 'GET' && STATIC[path]) {
      const s = STATIC[path]!;
      const content = await readFile(join(PAGE_DIR, s.file));
      res.writeHead(200, {
        'content-type': s.type,
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      res.end(content);
      return;
    }
    if (req.method === 'GET' && path.startsWith('/console/')) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
      });
      res.end(localConsolePage(decodeURIComponent(path + (url.hash || '')), url.search, o.log_file));
      return;
    }
    if (req.method === 'GET' && path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method === 'GET' && path === '/api/state') {
      const user = url.searchParams.get('user') ?? '';
      userOf(user);
      return json(res, 200, state(user));
    }
    if (req.method === 'GET' && path === '/api/events') {
      const user = url.searchParams.get('user') ?? '';
      userOf(user);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      const entry = { user, res };
      streams.add(entry);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.on('close', () => {
        clearInterval(ping);
        streams.delete(entry);
      });
      return;
    }
    if (req.method === 'POST') {
      const raw = await readBody(req);
      const m = /^\/slack\/response\/([\w-]+)$/.exec(path);
      if (m) {
        responseUrl(m[1]!, raw);
        return json(res, 200, { ok: true });
      }
      const body = safeJson(raw);
      switch (path) {
        case '/api/command':
          await command(parse(CommandBody, body));
          return json(res, 200, { ok: true });
        case '/api/message': {
          const posted = await message(parse(MessageBody, body));
          return json(res, 200, { ok: true, ts: posted.ts });
        }
        case '/api/action':
          await action(parse(ActionBody, body));
          return json(res, 200, { ok: true });
        case '/api/view':
          await submitView(parse(ViewBody, body));
          return json(res, 200, { ok: true });
      }
    }
    json(res, 404, { ok: false, error: 'not found' });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.end();
      if (e instanceof BadRequest) return json(res, 400, { ok: false, error: e.message });
      json(res, 502, { ok: false, error: (e as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    server,
    async stop() {
      o.slackApi.off('change', onChange);
      for (const s of streams) s.res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface FoundButton {
  value?: string;
  text: string;
}

/** A button in a message's blocks (actions elements or a section accessory). */
export function findButton(
  blocks: unknown[] | undefined,
  block_id: string,
  action_id: string,
): FoundButton | undefined {
  for (const b of blocks ?? []) {
    if (!b || typeof b !== 'object') continue;
    const block = b as { block_id?: string; elements?: unknown[]; accessory?: unknown };
    if ((block.block_id ?? '') !== block_id) continue;
    for (const el of [...(block.elements ?? []), block.accessory]) {
      const e = el as
        | { type?: string; action_id?: string; value?: string; text?: { text?: string } }
        | undefined;
      if (e?.type === 'button' && e.action_id === action_id)
        return { value: e.value, text: e.text?.text ?? '' };
    }
  }
  return undefined;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BadRequest(`${i.path.join('.') || 'body'}: ${i.message}`);
  }
  return r.data;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest('request body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Cards link to the AWS console; locally there is no console (and no account), so the links point
 * here: a page that says what the link would open and where the same data is locally.
 */
function localConsolePage(path: string, query: string, logFile: string | undefined): string {
  const what = /states/.test(path)
    ? 'the Step Functions execution of this incident (in AWS: its event history)'
    : /logs/.test(path + query)
      ? 'the log group in CloudWatch Logs'
      : 'the metric graph in CloudWatch';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local console — BDP Local</title>
<link rel="stylesheet" href="/style.css"></head><body class="console-page"><main class="console">
<h1>Local simulation: no AWS console here</h1>
<p>In AWS this link opens ${escapeHtml(what)}. The local workspace runs on in-memory mocks, so there is nothing to open.</p>
<p>Ask in the card's thread instead — <code>show me the metrics</code>, <code>what do the logs say?</code>,
<code>what changed?</code> — the agent queries the same simulated data and quotes it.</p>
${logFile ? `<p>Every step of the workflow is logged (JSON, one line each) in <code>${escapeHtml(logFile)}</code>.</p>` : ''}
<p>Link target: <code>${escapeHtml(`${path}${query}`.slice(0, 400))}</code></p>
<p><a href="/">Back to #incidents</a></p></main></body></html>`;
}
