import { createWorkerHandler } from './handler';
import { createDispatcher } from './surfaces';

/**
 * The actions worker Lambda: approve, reject and rollback. Its role may resume the workflow
 * (SendTaskSuccess/Failure) and write what a rollback undoes; it holds no LLM key and reads no telemetry.
 */
export const handler = createWorkerHandler('actions', (rt) => createDispatcher(rt));
