import { createHmac, randomUUID } from 'node:crypto';
import type { BlockAction, ButtonAction, EnvelopedEvent, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import type { GenericMessageEvent } from '@slack/types';

/**
 * The requests Slack sends an app, built the way Slack builds them (typed with Bolt's own payload
 * types) and signed with the app's signing secret (v0 HMAC-SHA256 over `v0:<ts>:<body>`), so the
 * production Bolt app verifies and handles them unchanged.
 */

export interface Workspace {
  team_id: string;
  team_domain: string;
  api_app_id: string;
  channel_id: string;
  channel_name: string;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Slack's request signature for `body` at `timestamp` (epoch seconds). */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function sign(signingSecret: string, body: string, contentType: string, now = Date.now()): SignedRequest {
  // Bolt rejects requests older than five minutes: sign with the wall clock, never simulated time.
  const ts = Math.floor(now / 1000);
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(signingSecret, ts, body),
    },
  };
}

/** Interactivity payloads (block_actions, view_submission) travel as a form field `payload`. */
export function signInteraction(
  signingSecret: string,
  payload: BlockAction | ViewSubmitAction,
  now?: number,
): SignedRequest {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sign(signingSecret, body, 'application/x-www-form-urlencoded', now);
}

/** Slash commands are a plain form. */
export function signSlashCommand(signingSecret: string, command: SlashCommand, now?: number): SignedRequest {
  const body = new URLSearchParams(command as unknown as Record<string, string>).toString();
  return sign(signingSecret, body, 'application/x-www-form-urlencoded', now);
}

/** Events API deliveries are JSON. */
export function signEvent(
  signingSecret: string,
  envelope: EnvelopedEvent<GenericMessageEvent>,
  now?: number,
): SignedRequest {
  return sign(signingSecret, JSON.stringify(envelope), 'application/json', now);
}

export function slashCommand(
  ws: Workspace,
  input: { text: string; user_id: string; user_name: string; response_url: string; trigger_id: string },
): SlashCommand {
  return {
    token: 'local-verification-token',
    command: '/bdp',
    text: input.text,
    response_url: input.response_url,
    trigger_id: input.trigger_id,
    user_id: input.user_id,
    user_name: input.user_name,
    team_id: ws.team_id,
    team_domain: ws.team_domain,
    channel_id: ws.channel_id,
    channel_name: ws.channel_name,
    api_app_id: ws.api_app_id,
  };
}

export function buttonClick(
  ws: Workspace,
  input: {
    user_id: string;
    user_name: string;
    action_id: string;
    block_id: string;
    value?: string;
    text: string;
    message: { ts: string; text: string; blocks?: unknown[]; thread_ts?: string };
    response_url: string;
    trigger_id: string;
  },
): BlockAction<ButtonAction> {
  const action_ts = (Date.now() / 1000).toFixed(6);
  return {
    type: 'block_actions',
    actions: [
      {
        type: 'button',
        action_id: input.action_id,
        block_id: input.block_id,
        action_ts,
        ...(input.value !== undefined ? { value: input.value } : {}),
        text: { type: 'plain_text', text: input.text },
      },
    ],
    team: { id: ws.team_id, domain: ws.team_domain },
    user: { id: input.user_id, username: input.user_name, name: input.user_name, team_id: ws.team_id },
    channel: { id: ws.channel_id, name: ws.channel_name },
    message: {
      type: 'message',
      ts: input.message.ts,
      text: input.message.text,
      ...(input.message.blocks ? { blocks: input.message.blocks } : {}),
      ...(input.message.thread_ts ? { thread_ts: input.message.thread_ts } : {}),
    },
    token: 'local-verification-token',
    response_url: input.response_url,
    trigger_id: input.trigger_id,
    api_app_id: ws.api_app_id,
    container: {
      type: 'message',
      message_ts: input.message.ts,
      channel_id: ws.channel_id,
      is_ephemeral: false,
    },
  };
}

/** A modal's submission: `values` as block_id → action_id → {type, value}, as Slack sends them. */
export function viewSubmission(
  ws: Workspace,
  input: {
    user_id: string;
    user_name: string;
    view_id: string;
    callback_id: string;
    title: string;
    private_metadata: string;
    bot_id: string;
    values: Record<string, Record<string, string | null>>;
    trigger_id: string;
  },
): ViewSubmitAction {
  const values: ViewSubmitAction['view']['state']['values'] = {};
  for (const [block, actions] of Object.entries(input.values)) {
    values[block] = {};
    for (const [action, value] of Object.entries(actions))
      values[block]![action] = { type: 'plain_text_input', value };
  }
  return {
    type: 'view_submission',
    team: { id: ws.team_id, domain: ws.team_domain },
    user: { id: input.user_id, name: input.user_name, team_id: ws.team_id },
    api_app_id: ws.api_app_id,
    token: 'local-verification-token',
    trigger_id: input.trigger_id,
    view: {
      id: input.view_id,
      callback_id: input.callback_id,
      team_id: ws.team_id,
      app_id: ws.api_app_id,
      bot_id: input.bot_id,
      title: { type: 'plain_text', text: input.title, emoji: true },
      type: 'modal',
      blocks: [],
      close: null,
      submit: null,
      state: { values },
      hash: randomUUID().slice(0, 12),
      private_metadata: input.private_metadata,
      root_view_id: input.view_id,
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
      external_id: '',
    },
  } as ViewSubmitAction;
}

/** The `message` event a person's post produces (in a thread when thread_ts is set). */
export function messageEvent(
  ws: Workspace,
  input: { user: string; text: string; ts: string; thread_ts?: string; bot_user_id: string },
): EnvelopedEvent<GenericMessageEvent> {
  const event: GenericMessageEvent = {
    type: 'message',
    subtype: undefined,
    channel: ws.channel_id,
    channel_type: 'channel',
    user: input.user,
    text: input.text,
    ts: input.ts,
    event_ts: input.ts,
    ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
  };
  return {
    token: 'local-verification-token',
    team_id: ws.team_id,
    api_app_id: ws.api_app_id,
    event,
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ws.team_id,
        user_id: input.bot_user_id,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  } as EnvelopedEvent<GenericMessageEvent>;
}

export interface BoltResponse {
  status: number;
  /** The ack body (a slash command's reply), when there is one. */
  body: unknown;
}

/** POSTs a signed request to Bolt's endpoint; Slack gives an app 3 s, this gives it 10 with two retries on network errors. */
export async function deliver(url: string, req: SignedRequest, timeoutMs = 10_000): Promise<BoltResponse> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    // A timer cleared on every path, so nothing lingers after the answer.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
        signal: abort.signal,
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // a plain-text ack
      }
      return { status: res.status, body };
    } catch (e) {
      lastError = e;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    } finally {
      clearTimeout(timer);
    }
  }
  throw new Error(`the Slack bot at ${url} did not answer: ${(lastError as Error).message}`);
}
