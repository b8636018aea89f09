import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import { createLogger } from '../../providers/redact';
import type { BotServices } from '../core';
import type { SurfaceWorker } from '../worker/dispatcher';
import { createTeamsAdapter, loadTeamsCredentials } from './adapter';
import { type ConversationStore, createConversationStore } from './conversations';
import { runTeamsJob } from './jobs';
import { TeamsPoster } from './poster';
import { TeamsCardPublisher } from './publisher';

export interface TeamsSurfaceOptions {
  svc: BotServices;
  /** The adapter to post with (built from the credentials when absent). */
  adapter?: CloudAdapter;
  /** The bot's app id ('' locally). */
  app_id?: string;
  conversations?: ConversationStore;
  logger?: Logger;
}

/** Teams' part of the worker: renders notices as Adaptive Cards and runs the jobs the Teams bot queued. */
export async function createTeamsSurfaceWorker(
  opts: TeamsSurfaceOptions,
): Promise<SurfaceWorker & { cards: TeamsCardPublisher; poster: TeamsPoster }> {
  const { svc } = opts;
  const logger = opts.logger ?? createLogger('bdp-teams-worker');
  let adapter = opts.adapter;
  let appId = opts.app_id ?? svc.rt.config.MicrosoftAppId;
  if (!adapter) {
    const creds = await loadTeamsCredentials(svc.rt);
    adapter = createTeamsAdapter(creds, logger);
    appId = creds.MicrosoftAppId;
  }
  const poster = new TeamsPoster(adapter, appId);
  const conversations = opts.conversations ?? createConversationStore(svc.rt.aws.dynamo, svc.rt.now);
  const cards = new TeamsCardPublisher(poster, svc, conversations, { logger });
  return {
    surface: 'teams',
    cards,
    poster,
    deliverNotice: (notice) => cards.deliver(notice),
    handleJob: (job) => runTeamsJob({ poster, svc, logger }, job),
  };
}
