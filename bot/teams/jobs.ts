import * as z from 'zod';
import { Approver } from '../../pipeline/approval/approver';
import {
  AnalyzeRequest,
  answerFollowUp,
  type ChatJobDeps,
  FollowUpQuestion,
  requestRollback,
  startRequestedAnalysis,
} from '../core';
import { truncateAtWord } from '../core/text';
import type { SurfaceJob } from '../worker/jobs';
import { escapeMessageMarkdown } from './cards';
import { StoredConversation, splitThread } from './conversations';
import type { TeamsPoster } from './poster';

/** A question asked in a card's reply chain; the "thinking…" message it replaces is already posted. */
export const TeamsFollowUpData = FollowUpQuestion.extend({
  /** The reply chain (`…;messageid=<card id>`). */
  conversation: StoredConversation,
  thinking_id: z.string().min(1),
});
/** `analyze <service>`. */
export const TeamsAnalyzeData = AnalyzeRequest.extend({ conversation: StoredConversation });
/** The Rollback button (the approver was resolved by the ingress, which saw the signed activity). */
export const TeamsRollbackData = z.object({
  incident_id: z.string().min(1),
  user: Approver,
  conversation: StoredConversation,
});

export const THINKING_TEXT = '_Thinking…_';
/** Teams messages hold ~28 KB; answers are cut at a word well below. */
const MAX_ANSWER = 20_000;

export interface TeamsJobDeps extends ChatJobDeps {
  poster: TeamsPoster;
}

/** Runs the long work the Teams bot handed off after answering the activity. */
export async function runTeamsJob(deps: TeamsJobDeps, job: SurfaceJob): Promise<void> {
  const { poster } = deps;
  const ctx = { ...deps, escape: escapeMessageMarkdown };
  switch (job.type) {
    case 'followup': {
      const d = TeamsFollowUpData.parse(job.data);
      const { base, root } = splitThread(d.conversation.conversation.id);
      const answer = await answerFollowUp(ctx, { ...d, thread_id: `teams:${base}:${root ?? 'chat'}` });
      await poster.update(d.conversation, d.thinking_id, { text: truncateAtWord(answer, MAX_ANSWER) });
      return;
    }
    case 'analyze': {
      const d = TeamsAnalyzeData.parse(job.data);
      await startRequestedAnalysis(ctx, { service: d.service, requested_by: `teams:${d.user}` }, (text) =>
        poster.post(d.conversation, { text }),
      );
      return;
    }
    case 'rollback': {
      const d = TeamsRollbackData.parse(job.data);
      const text = await requestRollback(ctx, { incident_id: d.incident_id, user: d.user });
      await poster.post(d.conversation, { text });
      return;
    }
  }
}
