import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Connector API. */
export interface ConnectorCall {
  method: string;
  /** The conversation id (decoded). */
  conversation: string;
  /** The activity id in the path (reply target on POST, the updated one on PUT). */
  activity_id?: string;
  body: Record<string, unknown>;
}

/**
 * A local stand-in for the Bot Connector service (`serviceUrl`): records what the bot sends, gives
 * each new activity an id, answers member look-ups from a roster. Binds 127.0.0.1 only.
 */
export class LocalConnector {
  readonly calls: ConnectorCall[] = [];
  /** Activity id → its latest body (after updates). */
  readonly activities = new Map<string, Record<string, unknown> & { conversation_id: string }>();
  readonly roster = new Map<string, Record<string, unknown>>();
  private server?: Server;
  private next = 1;
  /** Statuses the next POSTs answer with instead of posting (fault injection). */
  private postFaults: number[] = [];
  /** POSTs refused by an injected fault. */
  refusedPosts = 0;

  /** The next `n` POSTs (new activities) fail with `status`. */
  failNextPosts(n: number, status = 503): void {
    for (let i = 0; i < n; i++) this.postFaults.push(status);
  }
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        const path = decodeURI((req.url ?? '').split('?')[0] ?? '');
        const send = (status: number, payload: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
        const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
        if (req.method === 'GET' && member) {
          const m = this.roster.get(decodeURIComponent(member[2]!));
          return m
            ? send(200, m)
            : send(404, { error: { code: 'MemberNotFound', message: 'no such member' } });
        }
        const act = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
        if (!act) return send(404, { error: { code: 'NotFound', message: path } });
        const conversation = decodeURIComponent(act[1]!);
        const activity_id = act[2] ? decodeURIComponent(act[2]) : undefined;
        // An injected fault is answered before anything is recorded (no activity exists).
        if (req.method === 'POST' && this.postFaults.length > 0) {
          this.refusedPosts++;
          const status = this.postFaults.shift()!;
          return send(status, { error: { code: 'ServiceUnavailable', message: 'injected fault' } });
        }
        this.calls.push({ method: req.method ?? '', conversation, activity_id, body });
        if (req.method === 'PUT' && activity_id) {
          if (!this.activities.has(activity_id)) return send(404, { error: { code: 'ActivityNotFound' } });
          this.activities.set(activity_id, { ...body, conversation_id: conversation });
          return send(200, { id: activity_id });
        }
        if (req.method === 'POST') {
          const id = `msg-${this.next++}`;
          this.activities.set(id, { ...body, conversation_id: conversation });
          return send(200, { id });
        }
        return send(405, { error: { code: 'MethodNotAllowed' } });
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  /** Messages posted (not updates), optionally into one conversation. */
  posted(conversation?: string): (ConnectorCall & { id: string })[] {
    const out: (ConnectorCall & { id: string })[] = [];
    let n = 0;
    for (const c of this.calls) {
      if (c.method !== 'POST') continue;
      n++;
      if (conversation === undefined || c.conversation === conversation) out.push({ ...c, id: `msg-${n}` });
    }
    return out;
  }

  updates(activity_id: string): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'PUT' && c.activity_id === activity_id);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
