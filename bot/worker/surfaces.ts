import { answerFollowUp } from '../../agent';
import { PIPELINE_METRIC, recordCount } from '../../pipeline/metrics';
import { createOutbox, type RetryOptions } from '../../pipeline/notify/outbox';
import { createLogger } from '../../providers/redact';
import type { Runtime } from '../../providers/runtime';
import { type BotServices, createBotServices } from '../core';
import { loadSlackBotToken } from '../slack/credentials';
import { createSlackSurfaceWorker } from '../slack/surface';
import { createTeamsSurfaceWorker } from '../teams/surface';
import { JobDispatcher } from './dispatcher';

/**
 * The dispatcher with every chat surface that is configured. Slack registers itself when it has
 * credentials; Teams (issue 7) adds its `register(...)` line here.
 */
export async function createDispatcher(
  rt: Runtime,
  svc: BotServices = createBotServices(rt, { followUp: answerFollowUp }),
  retry?: RetryOptions,
): Promise<JobDispatcher> {
  const logger = createLogger('bdp-bot-worker');
  // Notices are delivered from the outbox: per-surface success recorded, retried with backoff.
  const d = new JobDispatcher({
    outbox: createOutbox(rt.aws.dynamo, () => rt.now()),
    retry: {
      ...retry,
      onFailure: (surface) => recordCount(rt, PIPELINE_METRIC.chatDeliveryFailures, 1, { surface }),
    },
  });
  if (rt.config.SLACK_SECRET_ARN || rt.config.SLACK_BOT_TOKEN) {
    const bot_token = await loadSlackBotToken(rt);
    d.register(createSlackSurfaceWorker({ svc, bot_token, logger }));
  }

  // Teams posts with the bot's app credentials; locally (no app id) the Teams server registers its own.
  if (rt.config.MicrosoftAppId) d.register(await createTeamsSurfaceWorker({ svc, logger }));
  if (d.registered.length === 0) logger.warn('no chat surface configured: notices will be dropped');
  return d;
}
