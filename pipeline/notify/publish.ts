import { Logger } from '@aws-lambda-powertools/logger';
import { IncidentNotice, type IncidentState, type NoticeKind } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { createWorkflowStore } from '../state/workflow-store';
import { getChatNotifier } from './notifier';
import { createOutbox } from './outbox';

const logger = new Logger({ serviceName: 'bdp-notify' });

export interface NoticeInput {
  kind: NoticeKind;
  state: IncidentState;
  actor?: string;
  detail?: string;
  execution_arn?: string;
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Builds the notice (with the card's chat refs from the store), writes it to the outbox, then hands
 * it to the chat notifier. Once the outbox holds it, a failed hand-off is not an error: the sweeper
 * hands it on again. Only a failed outbox write throws (nothing was kept, the step must retry).
 */
export async function publishNotice(rt: Runtime, input: NoticeInput): Promise<IncidentNotice> {
  const store = createWorkflowStore(rt);
  const chat_refs = await store.getChatRefs(input.state.incident.incident_id);
  const notice = IncidentNotice.parse({
    kind: input.kind,
    at: rt.now().toISOString(),
    state: input.state,
    actor: input.actor,
    detail: input.detail === undefined ? undefined : cut(input.detail, 3000),
    chat_refs,
    execution_arn: input.execution_arn,
  });
  await createOutbox(rt.aws.dynamo, () => rt.now()).enqueue(notice);
  try {
    await getChatNotifier(rt).publish(notice);
  } catch (e) {
    logger.warn('notice kept in the outbox: handing it to chat failed, the sweeper retries', {
      incident_id: notice.state.incident.incident_id,
      kind: notice.kind,
      error: e instanceof Error ? e.message : String(e),
    });
  }
  return notice;
}
