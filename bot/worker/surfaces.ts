import { PIPELINE_METRIC, recordCount } from '../../pipeline/metrics';
import { createOutbox, type RetryOptions } from '../../pipeline/notify/outbox';
import { createLogger } from '../../providers/redact';
import type { Runtime } from '../../providers/runtime';
import { type BotServices, createBotServices } from '../core';
import { loadSlackBotToken } from '../slack/credentials';
import { createSlackSurfaceWorker } from '../slack/surface';
import { createTeamsSurfaceWorker } from '../teams/surface';
import { JobDispatcher } from './dispatcher';
import type { SurfaceJob } from './jobs';

/**
 * The dispatcher with every chat surface that is configured. Slack registers itself when it has
 * credentials; Teams when it has an app id. Follow-ups need `svc` with the agent wired in
 * (bot/worker/followup-lambda.ts): this module does not import the agent, so the cards and actions
 * workers carry no LangChain.
 */
export async function createDispatcher(
  rt: Runtime,
  svc: BotServices = createBotServices(rt),
  opts: { enqueue?: (job: SurfaceJob) => Promise<void>; retry?: RetryOptions } = {},
): Promise<JobDispatcher> {
  const logger = createLogger('bdp-bot-worker');
  // Notices are delivered from the outbox: per-surface success recorded, retried with backoff.
  const d = new JobDispatcher({
    outbox: createOutbox(rt.aws.dynamo, () => rt.now()),
    retry: {
      ...opts.retry,
      onFailure: (surface) => recordCount(rt, PIPELINE_METRIC.chatDeliveryFailures, 1, { surface }),
    },
  });
  if (rt.config.SLACK_SECRET_ARN || rt.config.SLACK_BOT_TOKEN) {
    const bot_token = await loadSlackBotToken(rt);
    d.register(createSlackSurfaceWorker({ svc, bot_token, logger, enqueue: opts.enqueue }));
  }

  // Teams posts with the bot's app credentials; locally (no app id) the Teams server registers its own.
  if (rt.config.MicrosoftAppId) d.register(await createTeamsSurfaceWorker({ svc, logger }));
  if (d.registered.length === 0) logger.warn('no chat surface configured: notices will be dropped');
  return d;
}
