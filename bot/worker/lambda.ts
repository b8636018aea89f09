import { createWorkerHandler } from './handler';
import { LambdaJobQueue, workerFunctions } from './queue';
import { createDispatcher } from './surfaces';

/**
 * The cards worker Lambda: incident cards and notices, `/bdp status|history` answers and on-demand
 * analyses. No LLM, no remediation; jobs of the other roles are forwarded to their functions.
 */
export const handler = createWorkerHandler('cards', (rt) => {
  // A thread question found here goes on to the follow-up worker.
  const fns = workerFunctions(rt.config);
  const queue = fns ? new LambdaJobQueue(rt.aws.lambda, fns) : undefined;
  return createDispatcher(rt, undefined, queue ? { enqueue: (job) => queue.enqueue(job) } : {});
});
