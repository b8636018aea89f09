// Microsoft Teams: the bot on the Microsoft 365 Agents SDK (commands, Universal Action buttons with Action.Submit fallback,
// follow-ups in a card's reply chain), Adaptive Card 1.5 rendering of the incident card, proactive
// posting through the stored conversation reference, and the two entries: `lambda.ts` (Function URL)
// and `server.ts` (local HTTP, `npm run start:teams`). Every Agents SDK import stays in this folder.
export {
  authConfiguration,
  createTeamsAdapter,
  isLocalOnly,
  loadTeamsCredentials,
  type TeamsCredentials,
} from './adapter';
export {
  checkTeamsIdentity,
  resolveTeamsApprover,
  TEAMS_CHANNEL_ID,
  type TeamsIdentity,
  teamsTenantId,
} from './approvers';
export { BdpTeamsBot, commandText, type TeamsBotDeps } from './bot';
export {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type AdaptiveCard,
  commandReplyText,
  escapeCardMarkdown,
  escapeMessageMarkdown,
  incidentCard,
  type Json,
  type JsonObject,
  REASON_INPUT_ID,
  TEAMS_LIMITS,
  textCard,
  VERBS,
  type Verb,
} from './cards';
export {
  CONVREF_PK,
  CONVREF_SK,
  type ConversationStore,
  createConversationStore,
  inThread,
  referenceFrom,
  StoredConversation,
  splitThread,
  toStored,
} from './conversations';
export { claimActivity, TEAMS_EVENT_PREFIX } from './dedup';
export { type BotRequest, type BotResponse, GENERIC_ERRORS, parseBody, processActivity } from './http';
export { runTeamsJob, TeamsAnalyzeData, TeamsFollowUpData, TeamsRollbackData, THINKING_TEXT } from './jobs';
export { asReference, type Outgoing, TeamsPoster, toActivity } from './poster';
export { TEAMS_CARD_SK, TeamsCardPublisher } from './publisher';
export { createTeamsSurfaceWorker, type TeamsSurfaceOptions } from './surface';
