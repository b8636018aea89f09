import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type App, HTTPReceiver } from '@slack/bolt';
import { setChatNotifier } from '../../pipeline/notify';
import { createLogger } from '../../providers/redact';
import { createRuntime, type Runtime } from '../../providers/runtime';
import { type BotServices, createBotServices } from '../core';
import { InProcessJobQueue, type JobQueue } from '../worker/queue';
import { createDispatcher } from '../worker/surfaces';
import { createSlackApp } from './app';
import { boltLogger } from './bolt-logger';
import { loadSlackCredentials, type SlackCredentials } from './credentials';
import { isFromTheFuture, slackRequestFacts } from './replay';

export interface SlackServerOptions {
  rt?: Runtime;
  svc?: BotServices;
  queue?: JobQueue;
  credentials?: SlackCredentials;
  bot?: { bot_id: string; bot_user_id: string };
  /** Defaults to PORT (3000); 0 picks a free port. */
  port?: number;
  logger?: Logger;
  /** Route the pipeline's notices to this process's queue (the local setup). Default true when the queue is in-process. */
  attachNotifier?: boolean;
}

export interface RunningSlackServer {
  app: App;
  server: Server;
  url: string;
  queue: JobQueue;
  stop(): Promise<void>;
}

/** The local HTTP entry: Bolt's `/slack/events` on 127.0.0.1 (never all interfaces). */
export async function startSlackServer(opts: SlackServerOptions = {}): Promise<RunningSlackServer> {
  const rt = opts.rt ?? (await createRuntime());
  const logger = opts.logger ?? createLogger('bdp-slack');
  const credentials = opts.credentials ?? (await loadSlackCredentials(rt));
  const svc = opts.svc ?? createBotServices(rt);
  let queue = opts.queue;
  if (!queue) {
    const dispatcher = await createDispatcher(rt, svc);
    queue = new InProcessJobQueue((job) => dispatcher.run(job), { logger });
  }
  const inProcess = queue instanceof InProcessJobQueue;
  if (opts.attachNotifier ?? inProcess) {
    const q = queue;
    setChatNotifier({ publish: (notice) => q.enqueue({ type: 'notice', notice }) });
  }
  const receiver = new HTTPReceiver({
    signingSecret: credentials.signing_secret,
    endpoints: '/slack/events',
    logger: boltLogger(logger),
    customPropertiesExtractor: slackRequestFacts,
  });
  // Bolt only refuses stale timestamps; one more than 5 minutes ahead is refused here (401).
  const listener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (!isFromTheFuture(req.headers, rt.now())) return listener(req, res);
    res.writeHead(401).end();
  };
  const app = createSlackApp({ svc, credentials, receiver, queue, logger, bot: opts.bot });
  const server = await app.start({ port: opts.port ?? rt.config.PORT, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return {
    app,
    server,
    url: `http://127.0.0.1:${port}/slack/events`,
    queue,
    async stop() {
      server.closeAllConnections();
      await app.stop();
    },
  };
}
