import { createHmac, randomUUID } from 'node:crypto';

/** Slack's v0 request signature headers for a body. */
export function signSlackRequest(
  body: string,
  signingSecret: string,
  ts = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const sig = `v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': sig, 'x-slack-request-timestamp': String(ts) };
}

export interface SenderOptions {
  /** The bot's request URL (e.g. http://127.0.0.1:3000/slack/events). */
  url: string;
  signing_secret: string;
  team_id?: string;
  timeout_ms?: number;
}

export interface SenderResponse {
  status: number;
  body: string;
}

/**
 * Plays Slack's side towards a bot: signed slash commands, button clicks, modal submissions and
 * message events, shaped as Slack sends them. The local workspace uses it for what a person does in
 * its UI; tests use it to drive the HTTP entry.
 */
export class SlackEventSender {
  constructor(private readonly opts: SenderOptions) {}

  private async post(body: string, contentType: string): Promise<SenderResponse> {
    const res = await fetch(this.opts.url, {
      method: 'POST',
      headers: { 'content-type': contentType, ...signSlackRequest(body, this.opts.signing_secret) },
      body,
      signal: AbortSignal.timeout(this.opts.timeout_ms ?? 10_000),
    });
    return { status: res.status, body: await res.text() };
  }

  private get team(): string {
    return this.opts.team_id ?? 'T0LOCAL';
  }

  slashCommand(command: string, text: string, user_id: string, channel_id: string): Promise<SenderResponse> {
    const fields: Record<string, string> = {
      token: 'local',
      command,
      text,
      response_url: 'http://127.0.0.1:9/unused',
      trigger_id: `trig-${randomUUID()}`,
      user_id,
      user_name: user_id.toLowerCase(),
      team_id: this.team,
      team_domain: 'local',
      channel_id,
      channel_name: channel_id,
      api_app_id: 'A0LOCAL',
    };
    return this.post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
  }

  clickButton(a: {
    action_id: string;
    value: string;
    user_id: string;
    channel: string;
    message_ts: string;
    block_id?: string;
  }) {
    const payload = {
      type: 'block_actions',
      actions: [
        {
          type: 'button',
          action_id: a.action_id,
          block_id: a.block_id ?? 'actions',
          value: a.value,
          action_ts: `${Date.now() / 1000}`,
          text: { type: 'plain_text', text: a.action_id },
        },
      ],
      team: { id: this.team, domain: 'local' },
      user: { id: a.user_id, username: a.user_id.toLowerCase(), team_id: this.team },
      channel: { id: a.channel, name: a.channel },
      message: { type: 'message', ts: a.message_ts },
      container: { type: 'message', message_ts: a.message_ts, channel_id: a.channel },
      token: 'local',
      response_url: 'http://127.0.0.1:9/unused',
      trigger_id: `trig-${randomUUID()}`,
      api_app_id: 'A0LOCAL',
    };
    return this.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  /** Submits a modal the bot opened (views.open), with plain-text input values by block and action id. */
  submitView(a: {
    view: { callback_id?: string; private_metadata?: string };
    user_id: string;
    values: Record<string, Record<string, string | null>>;
  }) {
    const values = Object.fromEntries(
      Object.entries(a.values).map(([block, inputs]) => [
        block,
        Object.fromEntries(
          Object.entries(inputs).map(([id, value]) => [id, { type: 'plain_text_input', value }]),
        ),
      ]),
    );
    const payload = {
      type: 'view_submission',
      team: { id: this.team, domain: 'local' },
      user: { id: a.user_id, name: a.user_id.toLowerCase(), team_id: this.team },
      api_app_id: 'A0LOCAL',
      token: 'local',
      trigger_id: `trig-${randomUUID()}`,
      view: {
        id: `V${Date.now()}`,
        type: 'modal',
        callback_id: a.view.callback_id ?? '',
        private_metadata: a.view.private_metadata ?? '',
        team_id: this.team,
        app_id: 'A0LOCAL',
        bot_id: 'B0LOCAL',
        title: { type: 'plain_text', text: 'view' },
        blocks: [],
        close: null,
        submit: null,
        state: { values },
        hash: 'local',
        root_view_id: null,
        previous_view_id: null,
        clear_on_close: false,
        notify_on_close: false,
      },
    };
    return this.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  /** A `message` event (and, when it mentions the bot, Slack's `app_mention` twin). */
  async message(m: {
    user: string;
    channel: string;
    text: string;
    ts: string;
    thread_ts?: string;
    bot_user_id?: string;
  }) {
    const event = {
      type: 'message',
      user: m.user,
      channel: m.channel,
      text: m.text,
      ts: m.ts,
      event_ts: m.ts,
      channel_type: 'channel',
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    };
    const envelope = (e: Record<string, unknown>) =>
      JSON.stringify({
        token: 'local',
        team_id: this.team,
        api_app_id: 'A0LOCAL',
        type: 'event_callback',
        event_id: `Ev${randomUUID()}`,
        event_time: Math.floor(Date.now() / 1000),
        event: e,
      });
    const first = await this.post(envelope(event), 'application/json');
    if (m.bot_user_id && m.text.includes(`<@${m.bot_user_id}>`)) {
      await this.post(
        envelope({ ...event, type: 'app_mention', channel_type: undefined }),
        'application/json',
      );
    }
    return first;
  }
}
