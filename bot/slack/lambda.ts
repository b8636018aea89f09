import type { Logger } from '@aws-lambda-powertools/logger';
import { AwsLambdaReceiver } from '@slack/bolt';
import { withLambdaLogging } from '../../providers/logging';
import { createLogger } from '../../providers/redact';
import { getRuntime, type Runtime } from '../../providers/runtime';
import { type JobQueue, LambdaJobQueue, workerFunctions } from '../worker/queue';
import { createSlackApp, type SlackIngressServices } from './app';
import { boltLogger } from './bolt-logger';
import { loadSlackCredentials, type SlackCredentials } from './credentials';
import { isFromTheFuture, slackRequestFacts } from './replay';
import '../../providers/aws/clients/lambda';

// Bolt's public exports carry the receiver, not its event types: take them from its handler.
type BoltLambdaHandler = ReturnType<AwsLambdaReceiver['toHandler']>;
export type AwsEvent = Parameters<BoltLambdaHandler>[0];
/** An HTTP API (payload v2) event. */
export type AwsEventV2 = Extract<AwsEvent, { rawPath: string }>;
export type AwsResponse = Awaited<ReturnType<BoltLambdaHandler>>;

export type SlackLambdaHandler = (event: AwsEvent, context?: unknown) => Promise<AwsResponse>;

export interface SlackLambdaOptions {
  rt?: Runtime;
  svc?: SlackIngressServices;
  queue?: JobQueue;
  credentials?: SlackCredentials;
  bot?: { bot_id: string; bot_user_id: string };
  logger?: Logger;
}

/**
 * Function URLs base64-encode form bodies; Bolt decodes them as ASCII, which breaks the signature of
 * any non-ASCII text (a rejection reason in Japanese). Decode as UTF-8 before Bolt sees the event.
 */
export function normaliseEvent(event: AwsEvent): AwsEvent {
  if (!event.isBase64Encoded || typeof event.body !== 'string') return event;
  return {
    ...event,
    body: Buffer.from(event.body, 'base64').toString('utf8'),
    isBase64Encoded: false,
  } as AwsEvent;
}

/** Builds the Slack Lambda handler: Bolt on AwsLambdaReceiver (signature verification on), jobs to the worker. */
export async function createSlackLambdaHandler(opts: SlackLambdaOptions = {}): Promise<SlackLambdaHandler> {
  const rt = opts.rt ?? (await getRuntime());
  const logger = opts.logger ?? createLogger('bdp-slack');
  const credentials = opts.credentials ?? (await loadSlackCredentials(rt));
  // The ingress reads nothing: no store, no approval service, no remediation code in this bundle.
  const svc = opts.svc ?? { rt };
  const fns = workerFunctions(rt.config);
  const queue = opts.queue ?? (fns ? new LambdaJobQueue(rt.aws.lambda, fns) : undefined);
  // On Lambda the work after ack must run elsewhere: a frozen sandbox would never finish it.
  if (!queue)
    throw new Error(
      'BOT_WORKER_FUNCTION_NAME is not set: the Slack Lambda hands long work to the bot worker function',
    );
  const receiver = new AwsLambdaReceiver({
    signingSecret: credentials.signing_secret,
    logger: boltLogger(logger),
    customPropertiesExtractor: slackRequestFacts,
  });
  createSlackApp({ svc, credentials, receiver, queue, logger, bot: opts.bot });
  const inner = receiver.toHandler();
  return (event, context) =>
    isFromTheFuture(event.headers, rt.now())
      ? Promise.resolve({ statusCode: 401, body: '' })
      : inner(normaliseEvent(event), context);
}

let ready: Promise<SlackLambdaHandler> | undefined;

/** The Lambda entry (Function URL). Built once per cold start; a failed start is retried next time. */
export const handler: SlackLambdaHandler = withLambdaLogging(
  async (event: AwsEvent, context?: unknown) => {
    ready ??= createSlackLambdaHandler();
    const h = await ready.catch((e: unknown) => {
      ready = undefined;
      throw e;
    });
    return h(event, context);
  },
  // A Slack request names no incident: request id and cold start only.
  () => ({}),
) as SlackLambdaHandler;
