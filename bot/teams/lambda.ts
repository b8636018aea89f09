import type { Logger } from '@aws-lambda-powertools/logger';
import { withLambdaLogging } from '../../providers/logging';
import { createLogger } from '../../providers/redact';
import { getRuntime, type Runtime } from '../../providers/runtime';
import { type BotServices, createBotServices } from '../core';
import { type JobQueue, LambdaJobQueue } from '../worker/queue';
import { createTeamsAdapter, isLocalOnly, loadTeamsCredentials, type TeamsCredentials } from './adapter';
import { BdpTeamsBot } from './bot';
import { createConversationStore } from './conversations';
import { parseBody, processActivity } from './http';

/** The parts of a Lambda Function URL (payload v2) event the entry reads. */
export interface FunctionUrlEvent {
  body?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined>;
  requestContext?: { http?: { method?: string; path?: string } };
  rawPath?: string;
}
export interface FunctionUrlResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}
export type TeamsLambdaHandler = (event: FunctionUrlEvent) => Promise<FunctionUrlResult>;

export interface TeamsLambdaOptions {
  rt?: Runtime;
  svc?: BotServices;
  queue?: JobQueue;
  credentials?: TeamsCredentials;
  logger?: Logger;
}

const json = (statusCode: number, body: unknown): FunctionUrlResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Builds the handler: CloudAdapter with Bot Framework authentication, long work to the worker Lambda. */
export async function createTeamsLambdaHandler(opts: TeamsLambdaOptions = {}): Promise<TeamsLambdaHandler> {
  const rt = opts.rt ?? (await getRuntime());
  const logger = opts.logger ?? createLogger('bdp-teams');
  const credentials = opts.credentials ?? (await loadTeamsCredentials(rt));
  // A Function URL is public: without app credentials anyone could post activities as anyone.
  if (isLocalOnly(credentials) && !opts.credentials)
    throw new Error(
      'MicrosoftAppId is not set: the Teams Lambda refuses unauthenticated use (that is for local runs only)',
    );
  const svc = opts.svc ?? createBotServices(rt);
  const fn = rt.config.BOT_WORKER_FUNCTION_NAME;
  const queue = opts.queue ?? (fn ? new LambdaJobQueue(rt.aws.lambda, fn) : undefined);
  // On Lambda the work after the answer must run elsewhere: a frozen sandbox would never finish it.
  if (!queue)
    throw new Error(
      'BOT_WORKER_FUNCTION_NAME is not set: the Teams Lambda hands long work to the bot worker function',
    );
  const adapter = createTeamsAdapter(credentials, logger);
  const bot = new BdpTeamsBot({
    svc,
    queue,
    conversations: createConversationStore(rt.aws.dynamo, rt.now),
    logger,
  });

  return async (event) => {
    const method = event.requestContext?.http?.method ?? 'POST';
    const path = event.requestContext?.http?.path ?? event.rawPath ?? '/api/messages';
    if (method !== 'POST') return json(405, { error: 'method not allowed: POST an activity' });
    if (path !== '/api/messages' && path !== '/')
      return json(404, { error: 'not found: the bot listens on POST /api/messages' });
    const raw = event.isBase64Encoded
      ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
      : (event.body ?? '');
    const parsed = parseBody(raw);
    if (!parsed.ok) return json(400, { error: parsed.error });
    // Function URLs lower-case header names; the adapter reads `authorization`.
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
    const r = await processActivity(
      adapter,
      { method, headers, body: parsed.body },
      (ctx) => bot.run(ctx),
      (error) => logger.error('teams request failed', { error: error.message }),
    );
    if (r.body === undefined) return { statusCode: r.status };
    return typeof r.body === 'string' ? json(r.status, { error: r.body }) : json(r.status, r.body);
  };
}

let ready: Promise<TeamsLambdaHandler> | undefined;

/** The Lambda entry (Function URL + /api/messages). Built once per cold start; a failed start is retried next time. */
export const handler: TeamsLambdaHandler = withLambdaLogging(
  async (event: FunctionUrlEvent) => {
    ready ??= createTeamsLambdaHandler();
    const h = await ready.catch((e: unknown) => {
      ready = undefined;
      throw e;
    });
    return h(event);
  },
  // A Teams activity names no incident: request id and cold start only.
  () => ({}),
);
