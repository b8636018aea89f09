import type { WebClient } from '@slack/web-api';
import * as z from 'zod';
import { isApprover } from '../../pipeline/approval/approver';
import {
  AnalyzeRequest,
  answerFollowUp,
  type ChatJobDeps,
  decisionMessage,
  FollowUpQuestion,
  looksLikeSlackUser,
  parseBdpCommand,
  requestRollback,
  runCommand,
  startRequestedAnalysis,
} from '../core';
import { truncateAtWord } from '../core/text';
import type { SurfaceJob } from '../worker/jobs';
import type { SlackApproverResolver } from './approvers';
import { rejectModal, replyBlocks, textBlocks } from './blocks';
import { claimEvent } from './dedup';
import '../../providers/aws/clients/dynamodb';
import { escapeMrkdwn, mentionUser } from './mrkdwn';

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

/** An Approve click or a submitted Reject form: decided by the actions worker after the ack. */
export const DecideData = z.object({
  incident_id: z.string().min(1),
  decision: z.enum(['approve', 'reject']),
  reason: z.string().max(3000).optional(),
  user: z.string().min(1),
  channel: z.string().min(1),
});
/** `/bdp status|history …`: the text is parsed again here (the job is data, never trusted as parsed). */
export const CommandData = z.object({
  text: z.string().max(4000),
  user: z.string().min(1),
  channel: z.string().min(1),
});

/** The Reject button: the reason form (or, for someone who may not decide, the recorded refusal). */
export const RejectFormData = z.object({
  incident_id: z.string().min(1),
  channel: z.string().min(1),
  message_ts: z.string().optional(),
  trigger_id: z.string().min(1),
  user: z.string().min(1),
});

/** A reply in some thread: a question for the agent if the thread is an incident card's. */
export const ThreadData = z.object({
  channel: z.string().min(1),
  ts: z.string().min(1),
  thread_ts: z.string().min(1),
  text: z.string().max(8000),
  user: z.string().min(1),
  bot_user_id: z.string().optional(),
  event_id: z.string().optional(),
});

export const THINKING = '_Thinking…_';

/** Decision texts name people by id: Slack ids become mentions, anything else is escaped text. */
const slackName = (id: string) => (looksLikeSlackUser(id) ? mentionUser(id) : escapeMrkdwn(id));

export interface SlackJobDeps extends ChatJobDeps {
  client: WebClient;
  approvers: SlackApproverResolver;
  /** Hands a follow-up to its worker (AWS); without it the follow-up runs here (one local process). */
  enqueue?: (job: SurfaceJob) => Promise<void>;
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
    case 'thread': {
      const d = ThreadData.parse(job.data);
      const incident_id = await deps.svc.store.findIncidentByChatRef('slack', d.channel, d.thread_ts);
      if (!incident_id) return; // a thread that is not an incident card's
      const question = d.text
        .replace(/<@[UW][A-Z0-9]+>/g, (m) => (m === `<@${d.bot_user_id}>` ? '' : m))
        .trim();
      if (!question) return;
      // Slack retries and the message+app_mention pair share the message ts: claim it once.
      if (!(await claimEvent(deps.svc.rt.aws.dynamo, `${d.channel}:${d.ts}`, deps.svc.rt.now()))) {
        deps.logger.info('duplicate delivery ignored', { incident_id, event_id: d.event_id });
        return;
      }
      const followup: SurfaceJob = {
        type: 'followup',
        surface: 'slack',
        data: {
          incident_id,
          channel: d.channel,
          thread_ts: d.thread_ts,
          question: question.slice(0, 4000),
          user: d.user,
        },
      };
      if (deps.enqueue) await deps.enqueue(followup);
      else await runSlackJob(deps, followup);
      deps.logger.info('follow-up queued', { incident_id, event_id: d.event_id });
      return;
    }
    case 'reject_form': {
      const d = RejectFormData.parse(job.data);
      if (!isApprover(deps.svc.rt.config, await deps.approvers.resolve(d.user))) {
        // No reason form for someone who may not decide: the service records the attempt and says so.
        await runSlackJob(deps, {
          ...job,
          type: 'decide',
          data: { incident_id: d.incident_id, decision: 'reject', user: d.user, channel: d.channel },
        });
        return;
      }
      try {
        await client.views.open({
          trigger_id: d.trigger_id,
          view: rejectModal({ incident_id: d.incident_id, channel: d.channel, message_ts: d.message_ts }),
        });
      } catch (e) {
        // The trigger id lives 3 s: if the worker started too late, say so rather than fail silently.
        deps.logger.warn('reject form not opened', {
          incident_id: d.incident_id,
          error: (e as Error).message,
        });
        await client.chat.postEphemeral({
          channel: d.channel,
          user: d.user,
          text: `The reason form for \`${d.incident_id}\` could not be opened in time: click Reject again.`,
        });
      }
      return;
    }
    case 'decide': {
      const d = DecideData.parse(job.data);
      const { user: user_id, channel, ...input } = d;
      let text: string;
      try {
        const user = await deps.approvers.resolve(user_id);
        const outcome = await deps.svc.approvals.decide({ ...input, user });
        deps.logger.info('decision', {
          incident_id: d.incident_id,
          decision: d.decision,
          user: user_id,
          outcome: outcome.outcome,
        });
        text = decisionMessage(outcome, slackName);
      } catch (e) {
        deps.logger.error('decision failed', {
          incident_id: d.incident_id,
          decision: d.decision,
          error: (e as Error).message,
        });
        text = `Your ${d.decision} of \`${d.incident_id}\` could not be recorded: ${escapeMrkdwn((e as Error).message)}`;
      }
      await client.chat.postEphemeral({ channel, user: user_id, text });
      return;
    }
    case 'command': {
      const d = CommandData.parse(job.data);
      const parsed = parseBdpCommand(d.text, deps.svc.rt.services);
      if (!parsed.ok) {
        await client.chat.postEphemeral({ channel: d.channel, user: d.user, text: parsed.error });
        return;
      }
      const reply = await runCommand(deps.svc, parsed.command, {
        user: d.user,
        channel_label: `<#${deps.svc.rt.config.SLACK_CHANNEL_ID}>`,
        mention: mentionUser,
        escape: escapeMrkdwn,
        // Slack resolves /archives links to the message in the workspace (the local page scrolls to it).
        cardLink: (ref: { surface: string; channel: string; message_id: string }) =>
          ref.surface === 'slack'
            ? `<https://slack.com/archives/${ref.channel}/p${ref.message_id.replace('.', '')}|card>`
            : undefined,
        // Analyses are queued by the ingress; a command job never starts one.
        enqueueAnalysis: async () => {
          throw new Error('/bdp analyze is not a command job');
        },
      }).catch((e: Error) => ({ title: 'The command failed', lines: [escapeMrkdwn(e.message)] }));
      await client.chat.postEphemeral({ channel: d.channel, user: d.user, ...replyBlocks(reply) });
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
