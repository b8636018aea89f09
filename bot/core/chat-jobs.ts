import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import type { Approver } from '../../pipeline/approval/approver';
import { redactText, redactTextDeep } from '../../providers/redact';
import { rollbackMessage } from './decision-messages';
import type { BotServices } from './services';

/**
 * The long work a chat surface hands off after acking (follow-up questions, on-demand analyses,
 * rollbacks), minus the rendering: each surface parses its own job data (these fields plus where to
 * answer), calls these, and posts what they return its own way.
 */

/** A question asked in a card's thread: the part every surface's follow-up job carries. */
export const FollowUpQuestion = z.object({
  incident_id: z.string().min(1),
  question: z.string().min(1).max(4000),
  user: z.string().min(1),
});
/** An on-demand analysis request: the part every surface's analyze job carries. */
export const AnalyzeRequest = z.object({
  service: z.string().min(1),
  user: z.string().min(1),
});

/** What every surface's job runner has. */
export interface ChatJobDeps {
  svc: BotServices;
  logger: Logger;
}

export interface ChatJobContext extends ChatJobDeps {
  /** Escapes text that came from data (answers, errors) for the surface's markup. */
  escape(text: string): string;
}

/**
 * Answers a follow-up with the incident's state, as text escaped for the surface. Failures become the
 * answer ("Sorry, …"), so the person is never left with the "thinking…" placeholder.
 */
export async function answerFollowUp(
  ctx: ChatJobContext,
  q: z.infer<typeof FollowUpQuestion> & {
    /** Stable per chat thread, so the agent remembers earlier questions there. */
    thread_id: string;
  },
): Promise<string> {
  const { svc, logger } = ctx;
  try {
    const state = await svc.store.getState(q.incident_id);
    if (!state) throw new Error(`incident ${q.incident_id} is not in the workflow store`);
    const r = await svc.followUp(svc.rt, {
      state,
      thread_id: q.thread_id,
      question: q.question,
      user: q.user,
    });
    return ctx.escape(await redactTextDeep(r.answer.trim() || '(no answer)'));
  } catch (e) {
    logger.error('follow-up failed', { incident_id: q.incident_id, error: (e as Error).message });
    return `Sorry, I could not answer that: ${ctx.escape(redactText((e as Error).message))}`;
  }
}

/**
 * Starts the main workflow for one service. When that fails the person is told (through `tell`) and
 * the error is rethrown, so the job is recorded as failed.
 */
export async function startRequestedAnalysis(
  ctx: ChatJobContext,
  r: { service: string; requested_by: string },
  tell: (text: string) => Promise<unknown>,
): Promise<void> {
  try {
    const started = await ctx.svc.startAnalysis(r.service, r.requested_by);
    ctx.logger.info('on-demand analysis started', {
      target_service: r.service,
      execution_arn: started.execution_arn,
    });
  } catch (e) {
    await tell(`Could not start the analysis of ${r.service}: ${ctx.escape((e as Error).message)}`);
    throw e;
  }
}

/** Asks for a rollback as `user`; returns what the person is told (plain text with `code` spans, not escaped). */
export async function requestRollback(
  ctx: ChatJobDeps,
  r: { incident_id: string; user: Approver },
): Promise<string> {
  const outcome = await ctx.svc.approvals.rollback({ incident_id: r.incident_id, user: r.user });
  ctx.logger.info('rollback requested', { incident_id: r.incident_id, outcome: outcome.outcome });
  return rollbackMessage(outcome);
}
