import { answerFollowUp } from '../../agent';
import { createBotServices } from '../core';
import { createWorkerHandler } from './handler';
import { createDispatcher } from './surfaces';

/**
 * The follow-up worker Lambda: answers questions in a card's thread with the agent. Its role reads
 * telemetry and the incident and writes only the agent's memory: no remediation, no SendTask*.
 */
export const handler = createWorkerHandler('followup', (rt) =>
  createDispatcher(rt, createBotServices(rt, { followUp: answerFollowUp })),
);
