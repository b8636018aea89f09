import type { Logger } from '@aws-lambda-powertools/logger';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { BotServices } from '../core';
import { rollbackMessage } from '../core/decision-messages';
import { truncateAtWord } from '../core/text';
import type { SurfaceJob } from '../worker/jobs';
import type { SlackApproverResolver } from './approvers';
import { textBlocks } from './blocks';
import { escapeMrkdwn } from './mrkdwn';

/** A question asked in a card's thread. */
export const FollowUpData = z.object({
  incident_id: z.string().min(1),
  channel: z.string().min(1),
  thread_ts: z.string().min(1),
  question: z.string().min(1).max(4000),
  user: z.string().min(1),
});
/** `/bdp analyze <service>`. */
export const AnalyzeData = z.object({
  service: z.string().min(1),
  user: z.string().min(1),
  channel: z.string().min(1),
});
/** The Rollback button. */
export const RollbackData = z.object({
  incident_id: z.string().min(1),
  user: z.string().min(1),
  channel: z.string().min(1),
});

export const THINKING = '_Thinking…_';

export interface SlackJobDeps {
  client: WebClient;
  svc: BotServices;
  approvers: SlackApproverResolver;
  logger: Logger;
}

/** Runs the long work the Slack listeners handed off after acking. */
export async function runSlackJob(deps: SlackJobDeps, job: SurfaceJob): Promise<void> {
  const { client, svc, logger } = deps;
  switch (job.type) {
    case 'followup': {
      const d = FollowUpData.parse(job.data);
      const placeholder = await client.chat.postMessage({
        channel: d.channel,
        thread_ts: d.thread_ts,
        text: 'Thinking…',
        blocks: textBlocks(THINKING),
      });
      let answer: string;
      try {
        const state = await svc.store.getState(d.incident_id);
        if (!state) throw new Error(`incident ${d.incident_id} is not in the workflow store`);
        const r = await svc.followUp(svc.rt, {
          state,
          thread_id: `slack:${d.channel}:${d.thread_ts}`,
          question: d.question,
          user: d.user,
        });
        answer = escapeMrkdwn(r.answer.trim() || '(no answer)');
      } catch (e) {
        logger.error('follow-up failed', { incident_id: d.incident_id, error: (e as Error).message });
        answer = `Sorry, I could not answer that: ${escapeMrkdwn((e as Error).message)}`;
      }
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
      try {
        const r = await svc.startAnalysis(d.service, `slack:${d.user}`);
        logger.info('on-demand analysis started', {
          target_service: d.service,
          execution_arn: r.execution_arn,
        });
      } catch (e) {
        await client.chat.postEphemeral({
          channel: d.channel,
          user: d.user,
          text: `Could not start the analysis of ${d.service}: ${escapeMrkdwn((e as Error).message)}`,
        });
        throw e;
      }
      return;
    }
    case 'rollback': {
      const d = RollbackData.parse(job.data);
      const user = await deps.approvers.resolve(d.user);
      const outcome = await svc.approvals.rollback({ incident_id: d.incident_id, user });
      logger.info('rollback requested', { incident_id: d.incident_id, outcome: outcome.outcome });
      await client.chat.postEphemeral({
        channel: d.channel,
        user: d.user,
        text: escapeMrkdwn(rollbackMessage(outcome)),
      });
      return;
    }
  }
}
