import { serviceLogger, withLambdaLogging } from '../../providers/logging';
import '../../providers/tracing';
import { getRuntime } from '../../providers/runtime';
import type { JobDispatcher } from './dispatcher';
import { describeJob, Job } from './jobs';
import { createDispatcher } from './surfaces';

const logger = serviceLogger('bdp-bot-worker');
let dispatcher: Promise<JobDispatcher> | undefined;

/**
 * The bot worker Lambda (invoked asynchronously with one job). A bad payload is logged and dropped
 * (retrying cannot fix it); a failed job throws so Lambda retries it and then sends it to the DLQ.
 */
export const handler = withLambdaLogging(async (event: unknown): Promise<{ ok: boolean; job?: string }> => {
  const parsed = Job.safeParse(event);
  if (!parsed.success) {
    logger.error('worker: not a job', {
      issue: parsed.error.issues[0]?.message,
      path: parsed.error.issues[0]?.path.join('.'),
    });
    return { ok: false };
  }
  dispatcher ??= getRuntime().then((rt) => createDispatcher(rt));
  const d = await dispatcher.catch((e: unknown) => {
    dispatcher = undefined; // a cold-start failure (secret not readable) is retried on the next invocation
    throw e;
  });
  const label = describeJob(parsed.data);
  await d.run(parsed.data);
  logger.info('worker job done', { job: label });
  return { ok: true, job: label };
});
