import { answerFollowUp } from '../../agent';
import { serviceLogger } from '../../providers/logging';
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
): Promise<JobDispatcher> {
  const logger = serviceLogger('bdp-bot-worker');
  const d = new JobDispatcher();
  if (rt.config.SLACK_SECRET_ARN || rt.config.SLACK_BOT_TOKEN) {
    const bot_token = await loadSlackBotToken(rt);
    d.register(createSlackSurfaceWorker({ svc, bot_token, logger }));
  }

  // Teams posts with the bot's app credentials; locally (no app id) the Teams server registers its own.
  if (rt.config.MicrosoftAppId) d.register(await createTeamsSurfaceWorker({ svc, logger }));
  if (d.registered.length === 0) logger.warn('no chat surface configured: notices will be dropped');
  return d;
}
