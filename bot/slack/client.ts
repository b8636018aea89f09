import type { Logger } from '@aws-lambda-powertools/logger';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../../providers/config';
import { boltLogger } from './bolt-logger';

/**
 * Web API client options: SLACK_API_URL (Slack's, or the local fake), a per-call timeout, and few,
 * quick retries (Slack's default retries for half an hour; a chat reply that late is useless).
 * 429s honour Retry-After inside those retries.
 */
export function slackClientOptions(config: Pick<Config, 'SLACK_API_URL'>): WebClientOptions {
  const url = config.SLACK_API_URL.endsWith('/') ? config.SLACK_API_URL : `${config.SLACK_API_URL}/`;
  return {
    slackApiUrl: url,
    timeout: 10_000,
    retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2_000, randomize: true },
  };
}

export function createSlackClient(
  token: string,
  config: Pick<Config, 'SLACK_API_URL'>,
  logger?: Logger,
): WebClient {
  return new WebClient(token, {
    ...slackClientOptions(config),
    ...(logger ? { logger: boltLogger(logger) } : {}),
  });
}
