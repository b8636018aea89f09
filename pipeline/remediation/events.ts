import { serviceLogger } from '../../providers/logging';
import type { Runtime } from '../../providers/runtime';

export const EVENT_SOURCE = 'bdp.agent';

/** The lifecycle steps of a remediation, each published on EVENT_BUS_NAME for downstream consumers. */
export type LifecycleStep =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'executed'
  | 'verified'
  | 'rolled_back'
  | 'failed';

const DETAIL_TYPE: Record<LifecycleStep, string> = {
  requested: 'Remediation Requested',
  approved: 'Remediation Approved',
  rejected: 'Remediation Rejected',
  executed: 'Remediation Executed',
  verified: 'Remediation Verified',
  rolled_back: 'Remediation Rolled Back',
  failed: 'Remediation Failed',
};

const logger = serviceLogger('bdp-remediation');

/**
 * Publishes one lifecycle event. An audit trail, not a control path: a failure to publish is logged
 * and never undoes or blocks the action it describes.
 */
export async function publishLifecycle(
  rt: Pick<Runtime, 'aws' | 'now'>,
  step: LifecycleStep,
  detail: { incident_id: string } & Record<string, unknown>,
): Promise<boolean> {
  try {
    await rt.aws.events.putEvents([
      { source: EVENT_SOURCE, detail_type: DETAIL_TYPE[step], detail: { step, ...detail }, time: rt.now() },
    ]);
    return true;
  } catch (e) {
    logger.error('lifecycle event not published', {
      incident_id: detail.incident_id,
      step,
      error: (e as Error).message,
    });
    return false;
  }
}
