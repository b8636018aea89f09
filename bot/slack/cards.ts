import type { Logger } from '@aws-lambda-powertools/logger';
import type { WebClient } from '@slack/web-api';
import type { ChatRef, IncidentNotice } from '../../providers/domain';
import {
  type BotServices,
  buildIncidentView,
  type CardLedger,
  cardSortKey,
  createCardLedger,
  looksLikeSlackUser,
  THREAD_KINDS,
} from '../core';
import { incidentBlocks, textBlocks } from './blocks';
import { escapeMrkdwn, mentionUser } from './mrkdwn';
import '../../providers/aws/clients/dynamodb';

/** The card's bookkeeping item (workflow_state, PK incident id): who posts it, and the newest notice shown. */
export const CARD_SK = cardSortKey('slack');

/** The metadata event type of an incident card (how a card whose ref was lost is found again). */
export const CARD_EVENT_TYPE = 'bdp_incident_card';

/** Slack also answers an executed action in the thread (Teams shows it on the card only). */
const SLACK_THREAD_KINDS = new Set<IncidentNotice['kind']>([...THREAD_KINDS, 'executed']);

export interface CardPublisherOptions {
  channel: string;
  oncall_group?: string;
  logger: Logger;
  /** How long a second notice waits for the first one's card to exist (ms). */
  wait_for_card_ms?: number;
}

/**
 * Shows workflow notices in Slack: the first notice of an incident posts the card (its ts becomes the
 * thread and a ChatRef); later ones update it in place, and add a short thread reply where useful.
 * A conditional write decides who posts, so two racing notices never make two cards, and a notice
 * older than the one already shown never rolls the card back.
 */
export class SlackCardPublisher {
  private readonly ledger: CardLedger;

  constructor(
    private readonly client: WebClient,
    private readonly svc: BotServices,
    private readonly opts: CardPublisherOptions,
  ) {
    this.ledger = createCardLedger(svc.rt.aws.dynamo, 'slack', {
      now: () => svc.rt.now(),
      wait_ms: opts.wait_for_card_ms,
      logger: opts.logger,
    });
  }

  async deliver(notice: IncidentNotice): Promise<void> {
    const incident_id = notice.state.incident.incident_id;
    const log = this.opts.logger;
    const view = buildIncidentView(notice, { ...this.svc.rt.config, oncall_group: this.opts.oncall_group });
    const card = incidentBlocks(view);
    this.mentionActor(card.blocks, notice);

    await this.ledger.show(notice, {
      find: () => this.findRef(notice),
      target: async () => this.opts.channel,
      post: async (channel) => {
        try {
          const posted = await this.client.chat.postMessage({
            channel,
            text: card.text,
            blocks: card.blocks,
            // Lets a card whose ref was lost be found again (conversations.history, include_all_metadata).
            metadata: { event_type: CARD_EVENT_TYPE, event_payload: { incident_id } },
          });
          if (!posted.ts) throw new Error('no ts in the answer');
          return { channel: posted.channel ?? channel, ts: posted.ts };
        } catch (e) {
          // The cause keeps Slack's Retry-After for the outbox's backoff.
          throw new Error(
            `Slack chat.postMessage of the card for ${incident_id} failed: ${(e as Error).message}`,
            { cause: e },
          );
        }
      },
      afterPost: async (_channel, posted) => {
        await this.svc.store.addChatRef(incident_id, {
          surface: 'slack',
          channel: posted.channel,
          message_id: posted.ts,
        });
        log.info('incident card posted', { incident_id, kind: notice.kind, ts: posted.ts });
        await this.threadReplies(posted.channel, posted.ts, card.overflow);
      },
      reconcile: async () => {
        const found = await this.findPostedCard(incident_id);
        if (!found) return undefined;
        await this.svc.store.addChatRef(incident_id, {
          surface: 'slack',
          channel: found.channel,
          message_id: found.ts,
        });
        log.warn('card ref was lost: found the posted card by its metadata and recorded it', {
          incident_id,
          ts: found.ts,
        });
        return { surface: 'slack' as const, channel: found.channel, message_id: found.ts };
      },
      update: async (ref) => {
        await this.client.chat.update({
          channel: ref.channel,
          ts: ref.message_id,
          text: card.text,
          blocks: card.blocks,
        });
        log.info('incident card updated', { incident_id, kind: notice.kind });
        const replies = [...card.overflow];
        if (SLACK_THREAD_KINDS.has(notice.kind)) {
          const detail = notice.detail ? `\n>${escapeMrkdwn(notice.detail).replace(/\n/g, '\n>')}` : '';
          replies.unshift(`${this.statusLine(notice, view.status)}${detail}`);
        }
        await this.threadReplies(ref.channel, ref.message_id, replies);
      },
    });
  }

  private statusLine(notice: IncidentNotice, status: string): string {
    const actor = notice.actor;
    const text = escapeMrkdwn(status);
    return actor && looksLikeSlackUser(actor) ? text.replace(escapeMrkdwn(actor), mentionUser(actor)) : text;
  }

  /** "Approved by U123" → "Approved by <@U123>" on the card's status section. */
  private mentionActor(blocks: ReturnType<typeof incidentBlocks>['blocks'], notice: IncidentNotice): void {
    const actor = notice.actor;
    if (!actor || !looksLikeSlackUser(actor)) return;
    const status = blocks[1];
    if (status?.type === 'section' && status.text?.type === 'mrkdwn')
      status.text.text = status.text.text.replace(actor, mentionUser(actor));
  }

  /** The bot's card for an incident in the channel's recent history, by message metadata (a few pages at most). */
  private async findPostedCard(incident_id: string): Promise<{ channel: string; ts: string } | undefined> {
    const channel = this.opts.channel;
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const h = await this.client.conversations.history({
        channel,
        include_all_metadata: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      const hit = (h.messages ?? []).find(
        (m) =>
          m.metadata?.event_type === CARD_EVENT_TYPE &&
          (m.metadata.event_payload as Record<string, unknown> | undefined)?.incident_id === incident_id,
      );
      if (hit?.ts) return { channel, ts: hit.ts };
      cursor = h.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  private async findRef(notice: IncidentNotice): Promise<ChatRef | undefined> {
    const fromNotice = notice.chat_refs.find((r) => r.surface === 'slack');
    if (fromNotice) return fromNotice;
    const refs = await this.svc.store.getChatRefs(notice.state.incident.incident_id);
    return refs.find((r) => r.surface === 'slack');
  }

  private async threadReplies(channel: string, thread_ts: string, texts: string[]): Promise<void> {
    for (const text of texts) {
      const blocks = textBlocks(text);
      await this.client.chat.postMessage({ channel, thread_ts, text: text.slice(0, 300), blocks });
    }
  }
}
