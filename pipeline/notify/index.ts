// How the pipeline tells people: the ChatNotifier port (the bot plugs in), and publishNotice.
export {
  type ChatNotifier,
  createRecordingNotifier,
  createWorkerNotifier,
  getChatNotifier,
  setChatNotifier,
} from './notifier';
export { type NoticeInput, publishNotice } from './publish';
