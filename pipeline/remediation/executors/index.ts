import type { ActionType } from '../../../providers/domain';
import { autoScaling } from './auto-scaling';
import { eventBridgeEvent } from './eventbridge-event';
import { lambdaRestart } from './lambda-restart';
import { rdsParameter } from './rds-parameter';
import { rdsReboot } from './rds-reboot';
import { rdsTerminateIdleSessions } from './rds-terminate-idle-sessions';
import type { Executor } from './types';

export type { Executor, Inspection, PlanFor, StateRecord } from './types';
export { autoScaling, eventBridgeEvent, lambdaRestart, rdsParameter, rdsReboot, rdsTerminateIdleSessions };

export const EXECUTORS: { [A in ActionType]: Executor<A> } = {
  lambda_restart: lambdaRestart,
  rds_parameter: rdsParameter,
  auto_scaling: autoScaling,
  eventbridge_event: eventBridgeEvent,
  rds_reboot: rdsReboot,
  rds_terminate_idle_sessions: rdsTerminateIdleSessions,
};

export function executorFor<A extends ActionType>(action: A): Executor<A> {
  return EXECUTORS[action];
}
