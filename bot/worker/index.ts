// The bot's worker: typed jobs, the queue listeners hand them to (in-process locally, async Lambda
// invoke in AWS, to the worker function of the job's role), and the dispatcher each chat surface plugs
// into. Three worker Lambdas: `lambda.ts` (cards), `followup-lambda.ts`, `actions-lambda.ts`.
export { JobDispatcher, type SurfaceWorker } from './dispatcher';
export { createWorkerHandler, type WorkerHandler } from './handler';
export {
  describeJob,
  Job,
  jobKey,
  NoticeJob,
  roleOf,
  SurfaceJob,
  WORKER_ROLES,
  type WorkerRole,
} from './jobs';
export {
  type FailedJob,
  InProcessJobQueue,
  type JobQueue,
  LambdaJobQueue,
  type WorkerFunctions,
  workerFunctions,
} from './queue';
export { createDispatcher } from './surfaces';
