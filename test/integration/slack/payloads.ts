import type { BlockAction, ButtonAction, EnvelopedEvent, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import type { AppMentionEvent, GenericMessageEvent } from '@slack/types';
import type { ModalView } from '../../../bot/local/slack-api';
import { CHANNEL } from './fixtures';

/** Request bodies shaped like Slack's, typed with Bolt's own payload types. */

export function slashCommand(text: string, user_id: string, channel_id = CHANNEL): Record<string, string> {
  const c: SlashCommand = {
    token: 'legacy-verification-token',
    command: '/bdp',
    text,
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: `trig-${Date.now()}`,
    user_id,
    user_name: user_id.toLowerCase(),
    team_id: 'T0LOCAL',
    team_domain: 'bdp-local',
    channel_id,
    channel_name: 'incidents',
    api_app_id: 'A0BDP',
  };
  return c as Record<string, string>;
}

export function buttonClick(
  action_id: string,
  incident_id: string,
  user: string,
  message_ts: string,
): BlockAction<ButtonAction> {
  return {
    type: 'block_actions',
    actions: [
      {
        type: 'button',
        action_id,
        block_id: 'bdp_actions',
        action_ts: `${Date.now() / 1000}`,
        value: incident_id,
        text: { type: 'plain_text', text: action_id },
      },
    ],
    team: { id: 'T0LOCAL', domain: 'bdp-local' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0LOCAL' },
    channel: { id: CHANNEL, name: 'incidents' },
    message: { type: 'message', ts: message_ts, text: 'card' },
    token: 'legacy-verification-token',
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: `trig-${action_id}-${Date.now()}`,
    api_app_id: 'A0BDP',
    container: { type: 'message', message_ts, channel_id: CHANNEL, is_ephemeral: false },
  };
}

export function viewSubmission(view: ModalView, user: string, reason: string | null): ViewSubmitAction {
  return {
    type: 'view_submission',
    team: { id: 'T0LOCAL', domain: 'bdp-local' },
    user: { id: user, name: user.toLowerCase(), team_id: 'T0LOCAL' },
    api_app_id: 'A0BDP',
    token: 'legacy-verification-token',
    trigger_id: `trig-view-${Date.now()}`,
    view: {
      id: 'V0REJECT',
      callback_id: view.callback_id ?? '',
      team_id: 'T0LOCAL',
      app_id: 'A0BDP',
      bot_id: 'B0BDPBOT',
      title: { type: 'plain_text', text: view.title.text, emoji: true },
      type: 'modal',
      blocks: [],
      close: null,
      submit: null,
      state: { values: { reason: { reason_input: { type: 'plain_text_input', value: reason } } } },
      hash: 'h',
      private_metadata: view.private_metadata ?? '',
      root_view_id: null,
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
    },
  };
}

let seq = 0;
export function messageEvent(
  text: string,
  user: string,
  thread_ts: string | undefined,
  extra: Partial<GenericMessageEvent> = {},
): EnvelopedEvent<GenericMessageEvent> {
  seq += 1;
  const ts = `${Math.floor(Date.now() / 1000)}.${String(900000 + seq)}`;
  return {
    token: 'legacy-verification-token',
    team_id: 'T0LOCAL',
    api_app_id: 'A0BDP',
    type: 'event_callback',
    event_id: `Ev${seq}${Date.now()}`,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      subtype: undefined,
      event_ts: ts,
      team: 'T0LOCAL',
      channel: CHANNEL,
      user,
      text,
      ts,
      ...(thread_ts ? { thread_ts } : {}),
      channel_type: 'channel',
      ...extra,
    },
  };
}

/** The `app_mention` Slack sends for the same message (its own event id, the same ts). */
export function mentionOf(m: EnvelopedEvent<GenericMessageEvent>): EnvelopedEvent<AppMentionEvent> {
  return {
    ...m,
    event_id: `${m.event_id}-mention`,
    event: {
      type: 'app_mention',
      user: m.event.user,
      text: m.event.text ?? '',
      ts: m.event.ts,
      channel: m.event.channel,
      event_ts: m.event.ts,
      ...(m.event.thread_ts ? { thread_ts: m.event.thread_ts } : {}),
    },
  };
}
