import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeIssues, MessageBlocks, ModalView } from './block-kit';

/** A message as the local workspace keeps it (channel messages and thread replies alike). */
export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  /** The poster: the bot's user id for bot messages. */
  user: string;
  bot_id?: string;
  edited?: { ts: string };
  /** chat.postMessage `metadata` ({event_type, event_payload}), returned by conversations.history with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}
export interface StoredEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  ts: string;
}
export interface OpenedView {
  trigger_id: string;
  view: ModalView;
  id: string;
}
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** The `ok`/`error` the call got (or the injected HTTP status). */
  ok: boolean;
  error?: string;
  status: number;
  at: number;
}
/** What `change` listeners get, so a UI can mirror the channel live. */
export type SlackApiChange =
  | { kind: 'posted'; message: StoredMessage }
  | { kind: 'updated'; message: StoredMessage }
  | { kind: 'ephemeral'; ephemeral: StoredEphemeral }
  | { kind: 'view_opened'; view: OpenedView };

export interface LocalSlackApiOptions {
  /** Bearer tokens accepted; anything else gets `invalid_auth`. */
  tokens?: string[];
  port?: number;
  team_id?: string;
  bot_user_id?: string;
  bot_id?: string;
  /** Members of each user group (`S…` id → user ids). */
  usergroups?: Record<string, string[]>;
  /** Display names for users.info. */
  users?: Record<string, { name: string; real_name?: string; is_bot?: boolean }>;
}

type Fault = { status: 429; retry_after_s: number } | { status: 500 | 502 | 503 };

/**
 * A Slack-compatible Web API on 127.0.0.1, enough for the bot: it checks the bearer token, keeps the
 * messages, validates blocks like Slack does (→ `invalid_blocks`), records every call, and emits
 * `change` events so the local workspace can push live updates. Faults (429 + Retry-After, 5xx) can
 * be injected for the next N calls.
 */
export class LocalSlackApi extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: StoredEphemeral[] = [];
  readonly views: OpenedView[] = [];
  private server?: Server;
  private clock = 0;
  private faults: Fault[] = [];
  private readonly opts: Required<Omit<LocalSlackApiOptions, 'port'>> & { port: number };

  constructor(options: LocalSlackApiOptions = {}) {
    super();
    this.opts = {
      tokens: options.tokens ?? ['xoxb-local-test-token'],
      port: options.port ?? 0,
      team_id: options.team_id ?? 'T0LOCAL',
      bot_user_id: options.bot_user_id ?? 'U0BDPBOT',
      bot_id: options.bot_id ?? 'B0BDPBOT',
      usergroups: { ...(options.usergroups ?? {}) },
      users: { ...(options.users ?? {}) },
    };
  }

  get botUserId(): string {
    return this.opts.bot_user_id;
  }
  get botId(): string {
    return this.opts.bot_id;
  }

  /** Starts listening on 127.0.0.1 and returns the base URL (ending with `/`, as WebClient wants). */
  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'internal_error', detail: String(e) }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('LocalSlackApi is not started');
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The next `count` calls answer with this fault instead of running. */
  failNext(count: number, fault: Fault): void {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  setUsergroup(id: string, users: string[]): void {
    this.opts.usergroups[id] = [...users];
  }

  /** A top-level message posted by a person (what the local workspace's composer sends). */
  postAsUser(user: string, channel: string, text: string, thread_ts?: string): StoredMessage {
    const message: StoredMessage = {
      channel,
      ts: this.nextTs(),
      text,
      user,
      ...(thread_ts ? { thread_ts } : {}),
    };
    this.messages.push(message);
    this.emit('change', { kind: 'posted', message } satisfies SlackApiChange);
    return message;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }
  /** Replies in a thread, oldest first. */
  threadReplies(channel: string, thread_ts: string): StoredMessage[] {
    return this.messages.filter(
      (m) => m.channel === channel && m.thread_ts === thread_ts && m.ts !== thread_ts,
    );
  }
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.messages.length = 0;
    this.ephemerals.length = 0;
    this.views.length = 0;
    this.faults = [];
  }

  private nextTs(): string {
    // Slack ts: seconds.micro-ish, unique and increasing within a channel.
    this.clock += 1;
    const seconds = Math.floor(Date.now() / 1000);
    return `${seconds}.${String(this.clock).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = url.pathname.replace(/^\/api\//, '');
    const raw = await readBody(req);
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const send = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const ok = body.ok === true;
      this.calls.push({
        method,
        args,
        ok,
        error: ok ? undefined : String(body.error ?? status),
        status,
        at: Date.now(),
      });
      this.emit('call', this.calls[this.calls.length - 1]);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };

    const fault = this.faults.shift();
    if (fault) {
      if (fault.status === 429)
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retry_after_s) });
      return send(fault.status, { ok: false, error: 'service_unavailable' });
    }

    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ')
      ? auth.slice(7)
      : typeof args.token === 'string'
        ? args.token
        : '';
    if (!token) return send(200, { ok: false, error: 'not_authed' });
    if (!this.opts.tokens.includes(token)) return send(200, { ok: false, error: 'invalid_auth' });

    const result = this.run(method, args);
    send(200, result);
  }

  private run(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const str = (k: string) => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
    const metadataOf = (): StoredMessage['metadata'] => {
      let m = args.metadata;
      if (typeof m === 'string') {
        try {
          m = JSON.parse(m);
        } catch {
          return undefined;
        }
      }
      const o = m as StoredMessage['metadata'] | undefined;
      return o && typeof o.event_type === 'string' && o.event_payload && typeof o.event_payload === 'object'
        ? o
        : undefined;
    };
    const blocksOf = (): { blocks?: unknown[]; error?: Record<string, unknown> } => {
      if (args.blocks === undefined) return {};
      const parsed = MessageBlocks.safeParse(args.blocks);
      if (!parsed.success) {
        return {
          error: {
            ok: false,
            error: 'invalid_blocks',
            response_metadata: { messages: describeIssues(parsed.error, 'blocks') },
          },
        };
      }
      return { blocks: args.blocks as unknown[] };
    };

    switch (method) {
      case 'api.test':
        return { ok: true };
      case 'auth.test':
        return {
          ok: true,
          url: 'http://127.0.0.1/',
          team: 'BDP Local',
          team_id: this.opts.team_id,
          user: 'bdp',
          user_id: this.opts.bot_user_id,
          bot_id: this.opts.bot_id,
        };
      case 'chat.postMessage': {
        const channel = str('channel');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const b = blocksOf();
        if (b.error) return b.error;
        const text = str('text') ?? '';
        if (!text && !b.blocks) return { ok: false, error: 'no_text' };
        const thread_ts = str('thread_ts');
        if (thread_ts && !this.findMessage(channel, thread_ts))
          return { ok: false, error: 'thread_not_found' };
        const message: StoredMessage = {
          channel,
          ts: this.nextTs(),
          text,
          ...(b.blocks ? { blocks: b.blocks } : {}),
          ...(thread_ts ? { thread_ts } : {}),
          ...(metadataOf() ? { metadata: metadataOf() } : {}),
          user: this.opts.bot_user_id,
          bot_id: this.opts.bot_id,
        };
        this.messages.push(message);
        this.emit('change', { kind: 'posted', message } satisfies SlackApiChange);
        return { ok: true, channel, ts: message.ts, message };
      }
      case 'chat.update': {
        const channel = str('channel');
        const ts = str('ts');
        const message = channel && ts ? this.findMessage(channel, ts) : undefined;
        if (!message) return { ok: false, error: 'message_not_found' };
        if (message.bot_id !== this.opts.bot_id) return { ok: false, error: 'cant_update_message' };
        const b = blocksOf();
        if (b.error) return b.error;
        if (str('text') !== undefined) message.text = str('text') ?? '';
        if (b.blocks) message.blocks = b.blocks;
        message.edited = { ts: this.nextTs() };
        this.emit('change', { kind: 'updated', message } satisfies SlackApiChange);
        return { ok: true, channel, ts, text: message.text };
      }
      case 'chat.postEphemeral': {
        const channel = str('channel');
        const user = str('user');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!user) return { ok: false, error: 'user_not_in_channel' };
        const b = blocksOf();
        if (b.error) return b.error;
        const ephemeral: StoredEphemeral = {
          channel,
          user,
          text: str('text') ?? '',
          ...(b.blocks ? { blocks: b.blocks } : {}),
          ...(str('thread_ts') ? { thread_ts: str('thread_ts') } : {}),
          ts: this.nextTs(),
        };
        this.ephemerals.push(ephemeral);
        this.emit('change', { kind: 'ephemeral', ephemeral } satisfies SlackApiChange);
        return { ok: true, message_ts: ephemeral.ts };
      }
      case 'views.open': {
        const trigger_id = str('trigger_id');
        if (!trigger_id) return { ok: false, error: 'invalid_trigger_id' };
        const parsed = ModalView.safeParse(args.view);
        if (!parsed.success) {
          return {
            ok: false,
            error: 'invalid_arguments',
            response_metadata: { messages: describeIssues(parsed.error, 'view') },
          };
        }
        const view: OpenedView = { trigger_id, view: parsed.data, id: `V${this.nextTs().replace('.', '')}` };
        this.views.push(view);
        this.emit('change', { kind: 'view_opened', view } satisfies SlackApiChange);
        return { ok: true, view: { id: view.id, ...parsed.data } };
      }
      case 'usergroups.users.list': {
        const group = str('usergroup');
        const users = group ? this.opts.usergroups[group] : undefined;
        if (!users) return { ok: false, error: 'no_such_subteam' };
        return { ok: true, users };
      }
      case 'users.info': {
        const id = str('user');
        const u = id ? this.opts.users[id] : undefined;
        if (!id || !u) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: { id, name: u.name, real_name: u.real_name ?? u.name, is_bot: u.is_bot ?? false },
        };
      }
      case 'conversations.history': {
        // Newest first; message metadata only with include_all_metadata, as Slack does.
        const channel = str('channel');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const limit = Math.min(Number(args.limit ?? 100) || 100, 1000);
        const top = this.messages.filter((m) => m.channel === channel && !m.thread_ts).reverse();
        const start = Number(args.cursor ?? 0) || 0;
        const page = top.slice(start, start + limit).map((m) => {
          if (withMeta) return m;
          const { metadata: _drop, ...rest } = m;
          return rest;
        });
        const more = start + limit < top.length;
        return {
          ok: true,
          messages: page,
          has_more: more,
          response_metadata: { next_cursor: more ? String(start + limit) : '' },
        };
      }
      case 'conversations.replies': {
        const channel = str('channel');
        const ts = str('ts');
        const parent = channel && ts ? this.findMessage(channel, ts) : undefined;
        if (!parent || !channel || !ts) return { ok: false, error: 'thread_not_found' };
        return { ok: true, messages: [parent, ...this.threadReplies(channel, ts)], has_more: false };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** WebClient sends form-encoded args with objects as JSON strings; some callers send JSON. Accept both. */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) {
    try {
      const v: unknown = JSON.parse(raw);
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if ((k === 'blocks' || k === 'view' || k === 'attachments') && /^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // not JSON: keep the string, the validator will reject it
      }
    }
    out[k] = v;
  }
  return out;
}
