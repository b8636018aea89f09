import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import { setChatNotifier } from '../../pipeline/notify';
import { createLogger } from '../../providers/redact';
import { createRuntime, type Runtime } from '../../providers/runtime';
import { type BotServices, createBotServices } from '../core';
import type { JobDispatcher } from '../worker/dispatcher';
import { InProcessJobQueue, type JobQueue } from '../worker/queue';
import { createDispatcher } from '../worker/surfaces';
import { createTeamsAdapter, isLocalOnly, loadTeamsCredentials, type TeamsCredentials } from './adapter';
import { BdpTeamsBot } from './bot';
import { type ConversationStore, createConversationStore } from './conversations';
import { parseBody, processActivity } from './http';
import { createTeamsSurfaceWorker } from './surface';

export const DEFAULT_TEAMS_PORT = 3978;
const MAX_BODY = 1_000_000;

export interface TeamsServerOptions {
  rt?: Runtime;
  svc?: BotServices;
  /** Where long work goes; an in-process worker (with this Teams surface registered) by default. */
  queue?: JobQueue;
  /**
   * A shared worker (e.g. the local workspace's, with Slack on it too) that runs `queue`'s jobs: the
   * Teams surface is registered on it with this server's adapter.
   */
  dispatcher?: JobDispatcher;
  credentials?: TeamsCredentials;
  /** Defaults to PORT when set, else 3978; 0 picks a free port. */
  port?: number;
  logger?: Logger;
  /** Route the pipeline's notices to this process's queue. Default true when the queue is in-process. */
  attachNotifier?: boolean;
}

export interface RunningTeamsServer {
  server: Server;
  /** `http://127.0.0.1:<port>/api/messages`. */
  url: string;
  adapter: CloudAdapter;
  bot: BdpTeamsBot;
  queue: JobQueue;
  dispatcher?: JobDispatcher;
  conversations: ConversationStore;
  localOnly: boolean;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`the body is larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The local HTTP entry: `POST /api/messages` on 127.0.0.1 (never all interfaces). Without app
 * credentials it accepts unauthenticated activities, which is only safe on the loopback interface.
 */
export async function startTeamsServer(opts: TeamsServerOptions = {}): Promise<RunningTeamsServer> {
  const rt = opts.rt ?? (await createRuntime());
  const logger = opts.logger ?? createLogger('bdp-teams');
  const credentials = opts.credentials ?? (await loadTeamsCredentials(rt));
  const adapter = createTeamsAdapter(credentials, logger);
  const svc = opts.svc ?? createBotServices(rt);
  const conversations = createConversationStore(rt.aws.dynamo, rt.now);
  let queue = opts.queue;
  let dispatcher = opts.dispatcher;
  if (!queue && dispatcher)
    throw new Error('startTeamsServer: a dispatcher needs the queue whose jobs it runs');
  if (!queue || dispatcher) {
    dispatcher ??= await createDispatcher(rt, svc);
    dispatcher.register(
      await createTeamsSurfaceWorker({
        svc,
        adapter,
        app_id: credentials.MicrosoftAppId,
        conversations,
        logger,
      }),
    );
    const d = dispatcher;
    queue ??= new InProcessJobQueue((job) => d.run(job), { logger });
  }
  if (opts.attachNotifier ?? queue instanceof InProcessJobQueue) {
    const q = queue;
    setChatNotifier({ publish: (notice) => q.enqueue({ type: 'notice', notice }) });
  }
  const bot = new BdpTeamsBot({ svc, queue, conversations, logger });

  const server = createServer((req, res) => {
    const reply = (status: number, body?: unknown) => {
      if (body === undefined) {
        res.writeHead(status).end();
        return;
      }
      const json = typeof body === 'string' ? JSON.stringify({ error: body }) : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(json);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && req.method === 'GET') return reply(200, { ok: true });
    if (path !== '/api/messages') return reply(404, 'not found: the bot listens on POST /api/messages');
    if (req.method !== 'POST') return reply(405, 'method not allowed: POST an activity');
    readBody(req)
      .then(async (raw) => {
        const parsed = parseBody(raw);
        if (!parsed.ok) return reply(400, parsed.error);
        const r = await processActivity(
          adapter,
          { method: 'POST', headers: req.headers, body: parsed.body },
          (ctx) => bot.run(ctx),
          (error) => logger.error('teams request failed', { error: error.message }),
        );
        reply(r.status, r.body);
      })
      .catch((e: unknown) => {
        logger.error('teams request failed', { error: (e as Error).message });
        if (!res.headersSent) reply(500, 'the bot could not handle the activity');
      });
  });

  const envPort = process.env.PORT?.trim() ? rt.config.PORT : DEFAULT_TEAMS_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? envPort, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const localOnly = isLocalOnly(credentials);
  return {
    server,
    url: `http://127.0.0.1:${port}/api/messages`,
    adapter,
    bot,
    queue,
    dispatcher,
    conversations,
    localOnly,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (queue instanceof InProcessJobQueue) await queue.idle();
    },
  };
}

if (require.main === module) {
  const logger = createLogger('bdp-teams');
  startTeamsServer({ logger })
    .then((s) => {
      if (s.localOnly)
        logger.warn(
          'Teams bot is LOCAL and UNAUTHENTICATED (MicrosoftAppId is empty): listening on 127.0.0.1 only, for the Agents Playground or tests',
          { url: s.url },
        );
      else logger.info('Teams bot listening (Bot Framework authentication on)', { url: s.url });
      const shutdown = () => void s.stop().then(() => process.exit(0));
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    })
    .catch((e: unknown) => {
      console.error(`Teams bot failed to start: ${(e as Error).message}`);
      process.exit(1);
    });
}
