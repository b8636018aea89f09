import type { Logger } from '@aws-lambda-powertools/logger';
import type { BlockAction, ButtonAction, Receiver, SlackViewAction } from '@slack/bolt';
import { App } from '@slack/bolt';
import * as z from 'zod';
import { Incident } from '../../providers/domain';
import { createLogger } from '../../providers/redact';
import type { Runtime } from '../../providers/runtime';
import { analysisQueuedReply, helpReply } from '../core/command-runner';
import { parseBdpCommand } from '../core/commands';
import type { SurfaceJob } from '../worker/jobs';
import type { JobQueue } from '../worker/queue';
import { ACTION_IDS, REASON_BLOCK, REASON_INPUT, REJECT_MODAL_ID, replyBlocks } from './blocks';
import { boltLogger } from './bolt-logger';
import { slackClientOptions } from './client';
import type { SlackCredentials } from './credentials';
import { escapeMrkdwn } from './mrkdwn';
import { replayKey, type SlackRequestFacts } from './replay';

/** What the ingress needs: the runtime (config, catalog). It reads nothing: the workers do. */
export interface SlackIngressServices {
  rt: Runtime;
}

export interface SlackAppDeps {
  /** BotServices fits; the Lambda gives only this, so its bundle carries no approval or remediation code. */
  svc: SlackIngressServices;
  credentials: SlackCredentials;
  /** AwsLambdaReceiver on Lambda, HTTPReceiver locally; both verify Slack's signature. */
  receiver: Receiver;
  queue: JobQueue;
  logger?: Logger;
  /** Given when known (saves the `auth.test` call on a cold start). */
  bot?: { bot_id: string; bot_user_id: string };
}

const IncidentId = Incident.shape.incident_id;
const ModalContext = z.object({
  incident_id: IncidentId,
  channel: z.string().min(1),
  message_ts: z.string().optional(),
});

/**
 * The Bolt app: every listener acks at once and hands long work (agent runs, analyses, rollbacks)
 * to the job queue. Button payloads are trusted for the incident id they name and nothing else; the
 * clicking user comes from Slack's signed payload.
 */
export function createSlackApp(deps: SlackAppDeps): App {
  const { svc, queue } = deps;
  const log = deps.logger ?? createLogger('bdp-slack');
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

  /**
   * Every job carries the hash of the request's signature: a signed request replayed within its 5
   * minutes is acked again, but the worker claims the key before acting, so it is not acted on twice.
   */
  const enqueue = (context: unknown, job: SurfaceJob) => {
    const key = replayKey(context as SlackRequestFacts);
    return queue.enqueue(key ? { ...job, replay_key: key } : job);
  };

  // ── /bdp ────────────────────────────────────────────────────────────────────────────────────
  app.command('/bdp', async ({ command, ack, context }) => {
    const parsed = parseBdpCommand(command.text ?? '', svc.rt.services);
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: escapeMrkdwn(parsed.error) });
      return;
    }
    const cmd = parsed.command;
    if (cmd.verb === 'help') {
      await ack({
        response_type: 'ephemeral',
        ...replyBlocks(helpReply(cmd.unknown && escapeMrkdwn(cmd.unknown).replace(/`/g, 'ˋ'))),
      });
      return;
    }
    if (cmd.verb === 'analyze') {
      await enqueue(context, {
        type: 'analyze',
        surface: 'slack',
        data: { service: cmd.service, user: command.user_id, channel: command.channel_id },
      });
      await ack({
        response_type: 'ephemeral',
        ...replyBlocks(analysisQueuedReply(cmd.service, `<#${config.SLACK_CHANNEL_ID}>`)),
      });
      log.info('command', { verb: cmd.verb, user: command.user_id });
      return;
    }
    // Reads answer from the worker: the ack never waits on the store (Lambda returns only after the listener).
    await ack();
    await enqueue(context, {
      type: 'command',
      surface: 'slack',
      data: { text: (command.text ?? '').slice(0, 4000), user: command.user_id, channel: command.channel_id },
    });
    log.info('command', { verb: cmd.verb, user: command.user_id });
  });

  // ── Approve / Reject / Rollback ────────────────────────────────────────────────────────────
  const clickedIncident = (
    body: BlockAction<ButtonAction>,
  ): { incident_id: string; channel: string } | undefined => {
    const id = IncidentId.safeParse(body.actions[0]?.value);
    const channel = body.channel?.id ?? body.container?.channel_id;
    return id.success && typeof channel === 'string' ? { incident_id: id.data, channel } : undefined;
  };

  /** The decision (approver check, conditional write, SendTask*) and its answer run in the actions worker. */
  const enqueueDecision = (
    context: unknown,
    input: { incident_id: string; decision: 'approve' | 'reject'; reason?: string },
    user: string,
    channel: string,
  ) => enqueue(context, { type: 'decide', surface: 'slack', data: { ...input, user, channel } });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.approve, async ({ ack, body, context }) => {
    await ack();
    const target = clickedIncident(body);
    if (!target) return void log.warn('approve click without a valid incident id', { user: body.user.id });
    await enqueueDecision(
      context,
      { incident_id: target.incident_id, decision: 'approve' },
      body.user.id,
      target.channel,
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.reject, async ({ ack, body, context }) => {
    await ack();
    const target = clickedIncident(body);
    if (!target) return void log.warn('reject click without a valid incident id', { user: body.user.id });
    // The worker checks the approver and opens the reason form (its trigger id is valid for 3 s; a
    // call to Slack here would hold the ack); someone who may not decide gets the refusal instead.
    await enqueue(context, {
      type: 'reject_form',
      surface: 'slack',
      data: {
        ...target,
        ...(body.message?.ts ? { message_ts: body.message.ts } : {}),
        trigger_id: body.trigger_id,
        user: body.user.id,
      },
    });
  });

  app.view<SlackViewAction>(REJECT_MODAL_ID, async ({ ack, body, view, context }) => {
    await ack();
    const meta = ModalContext.safeParse(safeJson(view.private_metadata));
    if (!meta.success) return void log.warn('reject modal with unreadable metadata', { user: body.user.id });
    const reason = view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value?.trim() || undefined;
    await enqueueDecision(
      context,
      { incident_id: meta.data.incident_id, decision: 'reject', reason },
      body.user.id,
      meta.data.channel,
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.rollback, async ({ ack, body, context }) => {
    await ack();
    const target = clickedIncident(body);
    if (!target) return void log.warn('rollback click without a valid incident id', { user: body.user.id });
    await enqueue(context, { type: 'rollback', surface: 'slack', data: { ...target, user: body.user.id } });
  });

  // ── Thread follow-ups ──────────────────────────────────────────────────────────────────────
  async function threadQuestion(
    e: ThreadMessage,
    event_id: string | undefined,
    botUserId: string | undefined,
  ): Promise<void> {
    if (e.subtype !== undefined || e.bot_id || !e.user) return; // edits, joins, bots
    if (!e.thread_ts || e.thread_ts === e.ts) return; // not a reply in a thread
    // Whose card the thread is, and the once-only claim, are reads/writes: the worker does them.
    await queue.enqueue({
      type: 'thread',
      surface: 'slack',
      data: {
        channel: e.channel,
        ts: e.ts,
        thread_ts: e.thread_ts,
        text: (e.text ?? '').slice(0, 8000),
        user: e.user,
        ...(botUserId ? { bot_user_id: botUserId } : {}),
        ...(event_id ? { event_id } : {}),
      },
    });
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
