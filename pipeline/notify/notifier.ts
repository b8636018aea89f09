import { IncidentNotice } from '../../providers/domain';
import { serviceLogger } from '../../providers/logging';
import type { Runtime } from '../../providers/runtime';

/** The pipeline's only way to reach people. The pipeline never imports bot/: the bot plugs in here. */
export interface ChatNotifier {
  publish(notice: IncidentNotice): Promise<void>;
}

const logger = serviceLogger('bdp-notify');

/**
 * In AWS: hand the notice to the bot worker Lambda asynchronously (the worker renders and posts the
 * card). Without a worker configured the notice is logged and dropped — a deployment without chat.
 */
export function createWorkerNotifier(rt: Pick<Runtime, 'aws' | 'config'>): ChatNotifier {
  return {
    async publish(notice) {
      const fn = rt.config.BOT_WORKER_FUNCTION_NAME;
      if (!fn) {
        logger.warn('no BOT_WORKER_FUNCTION_NAME: notice not delivered', {
          incident_id: notice.state.incident.incident_id,
          kind: notice.kind,
        });
        return;
      }
      await rt.aws.lambda.invokeAsync(fn, { type: 'notice', notice });
    },
  };
}

let override: ChatNotifier | undefined;

/** The local workspace and tests plug an in-process notifier here; `undefined` restores the default. */
export function setChatNotifier(n: ChatNotifier | undefined): void {
  override = n;
}

export function getChatNotifier(rt: Pick<Runtime, 'aws' | 'config'>): ChatNotifier {
  return override ?? createWorkerNotifier(rt);
}

/** A notifier that keeps every notice, for tests and the local console. */
export function createRecordingNotifier(): ChatNotifier & { notices: IncidentNotice[] } {
  const notices: IncidentNotice[] = [];
  return {
    notices,
    async publish(notice) {
      notices.push(IncidentNotice.parse(notice));
    },
  };
}
