// The bot's worker: typed jobs, the queue listeners hand them to (in-process locally, async Lambda
// invoke in AWS), and the dispatcher each chat surface plugs into. `lambda.ts` is the worker Lambda.
export { JobDispatcher, type SurfaceWorker } from './dispatcher';
export { describeJob, Job, jobKey, NoticeJob, SurfaceJob } from './jobs';
export { type FailedJob, InProcessJobQueue, type JobQueue, LambdaJobQueue } from './queue';
export { createDispatcher } from './surfaces';
