import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
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
import type { SlackApproverResolver } from './approvers';
import { textBlocks } from './blocks';
import { escapeMrkdwn } from './mrkdwn';

/** A question asked in a card's thread. */
export const FollowUpData = FollowUpQuestion.extend({
  channel: z.string().min(1),
  thread_ts: z.string().min(1),
});
/** `/bdp analyze <service>`. */
export const AnalyzeData = AnalyzeRequest.extend({ channel: z.string().min(1) });
/** The Rollback button. */
export const RollbackData = z.object({
  incident_id: z.string().min(1),
  user: z.string().min(1),
  channel: z.string().min(1),
});

export const THINKING = '_Thinking…_';

export interface SlackJobDeps extends ChatJobDeps {
  client: WebClient;
  approvers: SlackApproverResolver;
}

/** Runs the long work the Slack listeners handed off after acking. */
export async function runSlackJob(deps: SlackJobDeps, job: SurfaceJob): Promise<void> {
  const { client } = deps;
  const ctx = { ...deps, escape: escapeMrkdwn };
  switch (job.type) {
    case 'followup': {
      const d = FollowUpData.parse(job.data);
      const placeholder = await client.chat.postMessage({
        channel: d.channel,
        thread_ts: d.thread_ts,
        text: 'Thinking…',
        blocks: textBlocks(THINKING),
      });
      const answer = await answerFollowUp(ctx, { ...d, thread_id: `slack:${d.channel}:${d.thread_ts}` });
      if (!placeholder.ts) throw new Error('Slack chat.postMessage (thinking…) returned no ts');
      await client.chat.update({
        channel: d.channel,
        ts: placeholder.ts,
        text: truncateAtWord(answer, 3000),
        blocks: textBlocks(answer),
      });
      return;
    }
    case 'analyze': {
      const d = AnalyzeData.parse(job.data);
      await startRequestedAnalysis(ctx, { service: d.service, requested_by: `slack:${d.user}` }, (text) =>
        client.chat.postEphemeral({ channel: d.channel, user: d.user, text }),
      );
      return;
    }
    case 'rollback': {
      const d = RollbackData.parse(job.data);
      const user = await deps.approvers.resolve(d.user);
      const text = await requestRollback(ctx, { incident_id: d.incident_id, user });
      await client.chat.postEphemeral({ channel: d.channel, user: d.user, text: escapeMrkdwn(text) });
      return;
    }
  }
}
