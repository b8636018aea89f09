import { IncidentNotice, type IncidentState, type NoticeKind } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { createWorkflowStore } from '../state/workflow-store';
import { getChatNotifier } from './notifier';

export interface NoticeInput {
  kind: NoticeKind;
  state: IncidentState;
  actor?: string;
  detail?: string;
  execution_arn?: string;
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Builds the notice (with the card's chat refs from the store) and hands it to the chat notifier. */
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
  await getChatNotifier(rt).publish(notice);
  return notice;
}
