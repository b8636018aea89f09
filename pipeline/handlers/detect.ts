import { withLambdaLogging } from '../../providers/logging';
import '../../providers/tracing';
import { getRuntime } from '../../providers/runtime';
import { checkPendingRecoveries } from '../approval/recovery';
import { detect, parseDetectInput } from '../detection';
import { logger } from '../detection/logger';
import { recordDetection } from '../metrics';
import { sweepChatOutbox } from '../notify/outbox';

export { DetectInput, DetectOutput, detect } from '../detection';

/**
 * The `detect` Lambda: scheduled (event `{}`) or on demand (`{ service, requested_by }` from
 * `/bdp analyze`). Returns `{ anomalies_detected, anomalies, incidents, source_errors }`.
 */
export const handler = withLambdaLogging(async (event: unknown) => {
  const rt = await getRuntime();
  logger.setLogLevel(rt.config.LOG_LEVEL);
  // Chat notices still unposted (Slack/Teams down, a DLQ'd job) go out again on this schedule.
  const swept = await sweepChatOutbox(rt).catch((e: unknown) => ({ error: (e as Error).message }));
  logger.info('chat outbox swept', { ...swept });
  const input = parseDetectInput(event);
  // Scheduled runs only (an on-demand request should not wait on it): pending cards whose signal
  // came back on its own say so.
  if (input.service === undefined) {
    const r = await checkPendingRecoveries(rt).catch((e: unknown) => ({ error: (e as Error).message }));
    logger.info('pending approvals re-checked', { ...r });
  }
  const out = await detect(rt, input);
  recordDetection(rt, out);
  return out;
});
