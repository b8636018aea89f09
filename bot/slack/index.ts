// Slack: the Bolt app (listeners that ack and hand work to the worker), Block Kit rendering of the
// incident card, the card publisher for workflow notices, and the two entries: `lambda.ts` (Function
// URL, AwsLambdaReceiver) and `server.ts` (local HTTP, `npm run start:slack`).
export { createSlackApp, type SlackAppDeps } from './app';
export { SlackApproverResolver } from './approvers';
export {
  ACTION_IDS,
  incidentBlocks,
  REJECT_MODAL_ID,
  type RejectModalContext,
  type RenderedCard,
  rejectModal,
  replyBlocks,
  SLACK_LIMITS,
  textBlocks,
} from './blocks';
export { SLACK_LAMBDA_BUNDLE_ALIASES, SLACK_LAMBDA_BUNDLE_STUB } from './bundle';
export { CARD_SK, SlackCardPublisher } from './cards';
export { createSlackClient, slackClientOptions } from './client';
export { loadSlackBotToken, loadSlackCredentials, type SlackCredentials } from './credentials';
export { claimEvent, EVENT_PREFIX } from './dedup';
export { AnalyzeData, FollowUpData, RollbackData, runSlackJob, THINKING } from './jobs';
export { escapeMrkdwn, mentionGroup, mentionUser } from './mrkdwn';
export { createSlackSurfaceWorker } from './surface';
