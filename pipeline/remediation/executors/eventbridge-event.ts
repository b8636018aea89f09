import type { Executor } from './types';
import '../../../providers/aws/clients/eventbridge';

/** Publishes an event downstream systems consume (ALERT, PAUSE_INGESTION, …). Nothing to undo. */
export const eventBridgeEvent: Executor<'eventbridge_event'> = {
  action: 'eventbridge_event',
  reversible: false,
  resourceId: (_rt, plan) => `event:${plan.parameters.event_type}`,
  inspect: async () => ({ previous_state: {}, policy_ctx: {} }),
  preview: (rt, plan) => ({
    source: rt.policy.actions.eventbridge_event.source,
    detail_type: plan.parameters.event_type,
    detail: plan.parameters.detail,
  }),
  async apply(rt, plan) {
    const event = {
      source: rt.policy.actions.eventbridge_event.source,
      detail_type: plan.parameters.event_type,
      detail: plan.parameters.detail,
      time: rt.now(),
    };
    await rt.aws.events.putEvents([event]);
    return {
      source: event.source,
      detail_type: event.detail_type,
      detail: event.detail,
      published_at: event.time.toISOString(),
    };
  },
  async rollback() {
    throw new Error('eventbridge_event cannot be rolled back: a published event cannot be withdrawn');
  },
  rollbackPlan: () => undefined,
};
