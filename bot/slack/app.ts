import type { Logger } from '@aws-lambda-powertools/logger';
import type { BlockAction, ButtonAction, Receiver, SlackViewAction } from '@slack/bolt';
import { App } from '@slack/bolt';
import { z } from 'zod';
import { isApprover } from '../../pipeline/approval/approver';
import { Incident } from '../../providers/domain';
import { serviceLogger } from '../../providers/logging';
import {
  type BotServices,
  decisionMessage,
  helpReply,
  looksLikeSlackUser,
  parseBdpCommand,
  runCommand,
} from '../core';
import type { JobQueue } from '../worker/queue';
import { SlackApproverResolver } from './approvers';
import { ACTION_IDS, REASON_BLOCK, REASON_INPUT, REJECT_MODAL_ID, rejectModal, replyBlocks } from './blocks';
import { boltLogger } from './bolt-logger';
import { slackClientOptions } from './client';
import type { SlackCredentials } from './credentials';
import { claimEvent } from './dedup';
import { escapeMrkdwn, mentionUser } from './mrkdwn';

export interface SlackAppDeps {
  svc: BotServices;
  credentials: SlackCredentials;
  /** AwsLambdaReceiver on Lambda, HTTPReceiver locally; both verify Slack's signature. */
  receiver: Receiver;
  queue: JobQueue;
  logger?: Logger;
  /** Given when known (saves the `auth.test` call on a cold start). */
  bot?: { bot_id: string; bot_user_id: string };
}

const IncidentId = Incident.shape.incident_id;
/** Decision texts name people by id: Slack ids become mentions, anything else is escaped text. */
const slackName = (id: string) => (looksLikeSlackUser(id) ? mentionUser(id) : escapeMrkdwn(id));
const ModalContext = z.object({
  incident_id: IncidentId,
  channel: z.string().min(1),
  message_ts: z.string().optional(),
});

/** How long `/bdp status|history` may read before the ack goes out with "working on it". */
const COMMAND_BUDGET_MS = 2_000;

/**
 * The Bolt app: every listener acks at once and hands long work (agent runs, analyses, rollbacks)
 * to the job queue. Button payloads are trusted for the incident id they name and nothing else; the
 * clicking user comes from Slack's signed payload.
 */
export function createSlackApp(deps: SlackAppDeps): App {
  const { svc, queue } = deps;
  const log = deps.logger ?? serviceLogger('bdp-slack');
  const config = svc.rt.config;
  const app = new App({
    token: deps.credentials.bot_token,
    receiver: deps.receiver,
    clientOptions: slackClientOptions(config),
    logger: boltLogger(log),
    convoStore: false,
    ...(deps.bot
      ? { botId: deps.bot.bot_id, botUserId: deps.bot.bot_user_id, tokenVerificationEnabled: false }
      : {}),
  });
  const approvers = new SlackApproverResolver(app.client, config.SLACK_APPROVERS, (group, error) =>
    log.warn('approver group not readable: treated as no members', { group, error }),
  );

  const ephemeral = (channel: string, user: string, text: string) =>
    app.client.chat.postEphemeral({ channel, user, text });

  // ── /bdp ────────────────────────────────────────────────────────────────────────────────────
  app.command('/bdp', async ({ command, ack }) => {
    const parsed = parseBdpCommand(command.text ?? '', svc.rt.services);
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: parsed.error });
      return;
    }
    const cmd = parsed.command;
    const ctx = {
      user: command.user_id,
      channel_label: `<#${config.SLACK_CHANNEL_ID}>`,
      mention: mentionUser,
      escape: escapeMrkdwn,
      // Slack resolves /archives links to the message in the workspace (the local page scrolls to it).
      cardLink: (ref: { surface: string; channel: string; message_id: string }) =>
        ref.surface === 'slack'
          ? `<https://slack.com/archives/${ref.channel}/p${ref.message_id.replace('.', '')}|card>`
          : undefined,
      enqueueAnalysis: (service: string) =>
        queue.enqueue({
          type: 'analyze',
          surface: 'slack',
          data: { service, user: command.user_id, channel: command.channel_id },
        }),
    };
    if (cmd.verb === 'help' || cmd.verb === 'analyze') {
      const reply = cmd.verb === 'help' ? helpReply(cmd.unknown) : await runCommand(svc, cmd, ctx);
      await ack({ response_type: 'ephemeral', ...replyBlocks(reply) });
      log.info('command', { verb: cmd.verb, user: command.user_id });
      return;
    }
    // Reads are quick; if the store is slow, ack first and send the answer when it comes.
    const work = runCommand(svc, cmd, ctx);
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([
      work.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), COMMAND_BUDGET_MS);
      }),
    ])
      .catch(() => false)
      .finally(() => clearTimeout(timer));
    if (early) {
      await ack({ response_type: 'ephemeral', text: 'Working on it…' });
      const reply = await work.catch((e: Error) => ({
        title: 'The command failed',
        lines: [escapeMrkdwn(e.message)],
      }));
      await app.client.chat.postEphemeral({
        channel: command.channel_id,
        user: command.user_id,
        ...replyBlocks(reply),
      });
      return;
    }
    try {
      await ack({ response_type: 'ephemeral', ...replyBlocks(await work) });
    } catch (e) {
      log.error('command failed', { verb: cmd.verb, error: (e as Error).message });
      await ack({
        response_type: 'ephemeral',
        text: `\`/bdp ${cmd.verb}\` failed: ${escapeMrkdwn((e as Error).message)}`,
      });
    }
  });

  // ── Approve / Reject / Rollback ────────────────────────────────────────────────────────────
  const clickedIncident = (
    body: BlockAction<ButtonAction>,
  ): { incident_id: string; channel: string } | undefined => {
    const id = IncidentId.safeParse(body.actions[0]?.value);
    const channel = body.channel?.id ?? body.container?.channel_id;
    return id.success && typeof channel === 'string' ? { incident_id: id.data, channel } : undefined;
  };

  /** Decides and tells the clicker privately; a failure to decide is told too (the decision did not happen). */
  async function decideAndTell(
    input: { incident_id: string; decision: 'approve' | 'reject'; reason?: string },
    user_id: string,
    channel: string,
  ): Promise<void> {
    let text: string;
    try {
      const user = await approvers.resolve(user_id);
      const outcome = await svc.approvals.decide({ ...input, user });
      log.info('decision', {
        incident_id: input.incident_id,
        decision: input.decision,
        user: user_id,
        outcome: outcome.outcome,
      });
      text = decisionMessage(outcome, slackName);
    } catch (e) {
      log.error('decision failed', {
        incident_id: input.incident_id,
        decision: input.decision,
        error: (e as Error).message,
      });
      text = `Your ${input.decision} of \`${input.incident_id}\` could not be recorded: ${escapeMrkdwn((e as Error).message)}`;
    }
    await ephemeral(channel, user_id, text);
  }

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.approve, async ({ ack, body }) => {
    await ack();
    const target = clickedIncident(body);
    if (!target) return void log.warn('approve click without a valid incident id', { user: body.user.id });
    await decideAndTell(
      { incident_id: target.incident_id, decision: 'approve' },
      body.user.id,
      target.channel,
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.reject, async ({ ack, body }) => {
    await ack();
    const target = clickedIncident(body);
    if (!target) return void log.warn('reject click without a valid incident id', { user: body.user.id });
    // No reason form for someone who may not decide: the service records the attempt and says so.
    if (!isApprover(config, await approvers.resolve(body.user.id))) {
      await decideAndTell(
        { incident_id: target.incident_id, decision: 'reject' },
        body.user.id,
        target.channel,
      );
      return;
    }
    // The trigger id is only valid for 3 s: open the modal now, decide on submission.
    await app.client.views.open({
      trigger_id: body.trigger_id,
      view: rejectModal({
        incident_id: target.incident_id,
        channel: target.channel,
        message_ts: body.message?.ts,
      }),
    });
  });

  app.view<SlackViewAction>(REJECT_MODAL_ID, async ({ ack, body, view }) => {
    await ack();
    const meta = ModalContext.safeParse(safeJson(view.private_metadata));
    if (!meta.success) return void log.warn('reject modal with unreadable metadata', { user: body.user.id });
    const reason = view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value?.trim() || undefined;
    await decideAndTell(
      { incident_id: meta.data.incident_id, decision: 'reject', reason },
      body.user.id,
      meta.data.channel,
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.rollback, async ({ ack, body }) => {
    await ack();
    const target = clickedIncident(body);
    if (!target) return void log.warn('rollback click without a valid incident id', { user: body.user.id });
    await queue.enqueue({ type: 'rollback', surface: 'slack', data: { ...target, user: body.user.id } });
  });

  // ── Thread follow-ups ──────────────────────────────────────────────────────────────────────
  async function threadQuestion(
    e: ThreadMessage,
    event_id: string | undefined,
    botUserId: string | undefined,
  ): Promise<void> {
    if (e.subtype !== undefined || e.bot_id || !e.user) return; // edits, joins, bots
    if (!e.thread_ts || e.thread_ts === e.ts) return; // not a reply in a thread
    const incident_id = await svc.store.findIncidentByChatRef('slack', e.channel, e.thread_ts);
    if (!incident_id) return; // a thread that is not an incident card's
    const question = (e.text ?? '')
      .replace(/<@[UW][A-Z0-9]+>/g, (m) => (m === `<@${botUserId}>` ? '' : m))
      .trim();
    if (!question) return;
    // Slack retries and the message+app_mention pair share the message ts: claim it once.
    if (!(await claimEvent(svc.rt.aws.dynamo, `${e.channel}:${e.ts}`, svc.rt.now()))) {
      log.info('duplicate delivery ignored', { incident_id, event_id });
      return;
    }
    await queue.enqueue({
      type: 'followup',
      surface: 'slack',
      data: {
        incident_id,
        channel: e.channel,
        thread_ts: e.thread_ts,
        question: question.slice(0, 4000),
        user: e.user,
      },
    });
    log.info('follow-up queued', { incident_id, event_id });
  }

  app.event('message', async ({ event, body, context }) => {
    await threadQuestion(event as unknown as ThreadMessage, body.event_id, context.botUserId);
  });
  app.event('app_mention', async ({ event, body, context }) => {
    // A mention's own event has no subtype; edits of it arrive as `message` events and are skipped there.
    await threadQuestion(
      { ...(event as unknown as ThreadMessage), subtype: undefined },
      body.event_id,
      context.botUserId,
    );
  });

  app.error(async (error) => {
    log.error('slack listener failed', { error: error.message, code: error.code });
  });

  return app;
}

/** The fields of a `message` / `app_mention` event a thread question needs. */
interface ThreadMessage {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
