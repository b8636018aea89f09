// A local Slack-compatible Web API (the bot's WebClient points at it) and the Block Kit rules it enforces.
export { BLOCK_LIMITS, Block, describeIssues, MessageBlocks, ModalView } from './block-kit';
export { type SenderOptions, type SenderResponse, SlackEventSender, signSlackRequest } from './sender';
export {
  LocalSlackApi,
  type LocalSlackApiOptions,
  type OpenedView,
  type RecordedCall,
  type SlackApiChange,
  type StoredEphemeral,
  type StoredMessage,
} from './server';
