// Surface-neutral chat core: the incident card's view-model, the `/bdp` command parser and runner,
// the services buttons/threads/commands call, the texts people get after a click, the card
// bookkeeping (who posts an incident's card, which notice it shows) and the follow-up / analyze /
// rollback job flow the surfaces only render.
export {
  type CardLedger,
  type CardLedgerOptions,
  type CardOutcome,
  type CardSteps,
  cardSortKey,
  createCardLedger,
  THREAD_KINDS,
} from './card-ledger';
export {
  AnalyzeRequest,
  answerFollowUp,
  type ChatJobContext,
  type ChatJobDeps,
  FollowUpQuestion,
  requestRollback,
  startRequestedAnalysis,
} from './chat-jobs';
export {
  analysisQueuedReply,
  type CommandContext,
  type CommandReply,
  helpReply,
  runCommand,
} from './command-runner';
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
