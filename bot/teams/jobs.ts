import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { Approver } from '../../pipeline/approval/approver';
import type { BotServices } from '../core';
import { rollbackMessage } from '../core/decision-messages';
import { truncateAtWord } from '../core/text';
import type { SurfaceJob } from '../worker/jobs';
import { escapeMessageMarkdown } from './cards';
import { StoredConversation, splitThread } from './conversations';
import type { TeamsPoster } from './poster';

/** A question asked in a card's reply chain; the "thinking…" message it replaces is already posted. */
export const TeamsFollowUpData = z.object({
  incident_id: z.string().min(1),
  /** The reply chain (`…;messageid=<card id>`). */
  conversation: StoredConversation,
  thinking_id: z.string().min(1),
  question: z.string().min(1).max(4000),
  user: z.string().min(1),
});
/** `analyze <service>`. */
export const TeamsAnalyzeData = z.object({
  service: z.string().min(1),
  user: z.string().min(1),
  conversation: StoredConversation,
});
/** The Rollback button (the approver was resolved by the ingress, which saw the signed activity). */
export const TeamsRollbackData = z.object({
  incident_id: z.string().min(1),
  user: Approver,
  conversation: StoredConversation,
});

export const THINKING_TEXT = '_Thinking…_';
/** Teams messages hold ~28 KB; answers are cut at a word well below. */
const MAX_ANSWER = 20_000;

export interface TeamsJobDeps {
  poster: TeamsPoster;
  svc: BotServices;
  logger: Logger;
}

/** Runs the long work the Teams bot handed off after answering the activity. */
export async function runTeamsJob(deps: TeamsJobDeps, job: SurfaceJob): Promise<void> {
  const { poster, svc, logger } = deps;
  switch (job.type) {
    case 'followup': {
      const d = TeamsFollowUpData.parse(job.data);
      const { base, root } = splitThread(d.conversation.conversation.id);
      let answer: string;
      try {
        const state = await svc.store.getState(d.incident_id);
        if (!state) throw new Error(`incident ${d.incident_id} is not in the workflow store`);
        const r = await svc.followUp(svc.rt, {
          state,
          thread_id: `teams:${base}:${root ?? 'chat'}`,
          question: d.question,
          user: d.user,
        });
        answer = escapeMessageMarkdown(r.answer.trim() || '(no answer)');
      } catch (e) {
        logger.error('follow-up failed', { incident_id: d.incident_id, error: (e as Error).message });
        answer = `Sorry, I could not answer that: ${escapeMessageMarkdown((e as Error).message)}`;
      }
      await poster.update(d.conversation, d.thinking_id, { text: truncateAtWord(answer, MAX_ANSWER) });
      return;
    }
    case 'analyze': {
      const d = TeamsAnalyzeData.parse(job.data);
      try {
        const r = await svc.startAnalysis(d.service, `teams:${d.user}`);
        logger.info('on-demand analysis started', {
          target_service: d.service,
          execution_arn: r.execution_arn,
        });
      } catch (e) {
        await poster.post(d.conversation, {
          text: `Could not start the analysis of ${d.service}: ${escapeMessageMarkdown((e as Error).message)}`,
        });
        throw e;
      }
      return;
    }
    case 'rollback': {
      const d = TeamsRollbackData.parse(job.data);
      const outcome = await svc.approvals.rollback({ incident_id: d.incident_id, user: d.user });
      logger.info('rollback requested', { incident_id: d.incident_id, outcome: outcome.outcome });
      await poster.post(d.conversation, { text: rollbackMessage(outcome) });
      return;
    }
  }
}
