import { createWorkerHandler } from './handler';
import { createDispatcher } from './surfaces';

/**
 * The cards worker Lambda: incident cards and notices, `/bdp status|history` answers and on-demand
 * analyses. No LLM, no remediation; jobs of the other roles are forwarded to their functions.
 */
export const handler = createWorkerHandler('cards', (rt) => createDispatcher(rt));
