// Surface-neutral chat core: the incident card's view-model, the `/bdp` command parser and runner,
// the services buttons/threads/commands call, and the texts people get after a click.
export { type CommandContext, type CommandReply, helpReply, runCommand } from './command-runner';
export {
  type BdpCommand,
  closestServices,
  DEFAULT_HISTORY,
  editDistance,
  MAX_HISTORY,
  type ParsedCommand,
  parseBdpCommand,
  USAGE,
} from './commands';
export { decisionMessage, looksLikeSlackUser, rollbackMessage } from './decision-messages';
export { type CardLink, executionLink, logGroupLink, metricLink } from './links';
export {
  type BotServices,
  createBotServices,
  type FollowUp,
  type FollowUpInput,
  localMainWorkflowArn,
} from './services';
export { formatNumber, formatTime, isTruncated, percent, sparkline, truncateAtWord } from './text';
export {
  type ActionView,
  buildIncidentView,
  type CardButton,
  type CardTone,
  type ConfidenceView,
  type IncidentView,
  MAX_CARD_EVIDENCE,
  type SignalLine,
} from './view-model';
