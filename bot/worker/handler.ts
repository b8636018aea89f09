import { withLambdaLogging } from '../../providers/logging';
import { createLogger } from '../../providers/redact';
import '../../providers/tracing';
import { getRuntime, type Runtime } from '../../providers/runtime';
import type { JobDispatcher } from './dispatcher';
import { describeJob, Job, roleOf, type WorkerRole } from './jobs';
import { LambdaJobQueue, workerFunctions } from './queue';

export type WorkerHandler = (event: unknown) => Promise<{ ok: boolean; job?: string; forwarded?: string }>;

/**
 * A worker Lambda for one role (invoked asynchronously with one job). It runs only its role's jobs:
 * the cards worker forwards another role's job to that role's function (entries given one worker name,
 * e.g. the Teams entry, send everything there); the other roles refuse what is not theirs, so a
 * follow-up can never reach a function that may act. A bad payload is logged and dropped (retrying
 * cannot fix it); a failed job throws so Lambda retries it and then sends it to the DLQ.
 */
export function createWorkerHandler(
  role: WorkerRole,
  makeDispatcher: (rt: Runtime) => Promise<JobDispatcher>,
): WorkerHandler {
  const logger = createLogger(`bdp-bot-${role}`);
  let dispatcher: Promise<JobDispatcher> | undefined;
  return withLambdaLogging(async (event: unknown) => {
    const parsed = Job.safeParse(event);
    if (!parsed.success) {
      logger.error('worker: not a job', {
        issue: parsed.error.issues[0]?.message,
        path: parsed.error.issues[0]?.path.join('.'),
      });
      return { ok: false };
    }
    const job = parsed.data;
    const label = describeJob(job);
    const jobRole = roleOf(job);
    if (jobRole !== role) {
      const rt = await getRuntime();
      const fns = workerFunctions(rt.config);
      const target = fns?.[jobRole as Exclude<WorkerRole, 'cards'>];
      if (role !== 'cards' || !target) {
        logger.error('worker: job of another role refused', { job: label, role, job_role: jobRole });
        return { ok: false, job: label };
      }
      await new LambdaJobQueue(rt.aws.lambda, { cards: target, [jobRole]: target }).enqueue(job);
      logger.info('worker job forwarded', { job: label, to: target });
      return { ok: true, job: label, forwarded: target };
    }
    dispatcher ??= getRuntime().then(makeDispatcher);
    const d = await dispatcher.catch((e: unknown) => {
      dispatcher = undefined; // a cold-start failure (secret not readable) is retried on the next invocation
      throw e;
    });
    logger.appendKeys({
      incident_id: job.type === 'notice' ? job.notice.state.incident.incident_id : undefined,
    });
    await d.run(job);
    logger.info('worker job done', { job: label });
    return { ok: true, job: label };
  });
}
