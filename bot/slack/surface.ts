import type { Logger } from '@aws-lambda-powertools/logger';
import type { WebClient } from '@slack/web-api';
import { serviceLogger } from '../../providers/logging';
import type { BotServices } from '../core';
import type { SurfaceWorker } from '../worker/dispatcher';
import { SlackApproverResolver } from './approvers';
import { SlackCardPublisher } from './cards';
import { createSlackClient } from './client';
import { runSlackJob } from './jobs';

export interface SlackSurfaceOptions {
  svc: BotServices;
  /** A client with the bot token (or the token to build one). */
  client?: WebClient;
  bot_token?: string;
  logger?: Logger;
}

/** Slack's part of the worker: renders notices as cards and runs the jobs Slack listeners queued. */
export function createSlackSurfaceWorker(
  opts: SlackSurfaceOptions,
): SurfaceWorker & { cards: SlackCardPublisher } {
  const { svc } = opts;
  const logger = opts.logger ?? serviceLogger('bdp-slack-worker');
  const client =
    opts.client ?? (opts.bot_token ? createSlackClient(opts.bot_token, svc.rt.config, logger) : undefined);
  if (!client)
    throw new Error('Slack worker: no client and no bot token (SLACK_BOT_TOKEN or SLACK_SECRET_ARN)');
  const config = svc.rt.config;
  const cards = new SlackCardPublisher(client, svc, {
    channel: config.SLACK_CHANNEL_ID,
    oncall_group: config.SLACK_ONCALL_GROUP,
    logger,
  });
  const approvers = new SlackApproverResolver(client, config.SLACK_APPROVERS, (group, error) =>
    logger.warn('approver group not readable: treated as no members', { group, error }),
  );
  return {
    surface: 'slack',
    cards,
    deliverNotice: (notice) => cards.deliver(notice),
    handleJob: (job) => runSlackJob({ client, svc, approvers, logger }, job),
  };
}
