// How the pipeline tells people: the ChatNotifier port (the bot plugs in), and publishNotice.
export {
  type ChatNotifier,
  createRecordingNotifier,
  createWorkerNotifier,
  getChatNotifier,
  setChatNotifier,
} from './notifier';
export {
  createOutbox,
  deliverFromOutbox,
  type NoticeSink,
  OUTBOX_PENDING_PK,
  type Outbox,
  type OutboxEntry,
  outboxSortKey,
  type RetryOptions,
  retryAfterMs,
  sweepChatOutbox,
  sweepOutbox,
  withBackoff,
} from './outbox';
export { type NoticeInput, publishNotice } from './publish';
