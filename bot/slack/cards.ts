import type { Logger } from '@aws-lambda-powertools/logger';
import type { WebClient } from '@slack/web-api';
import type { ChatRef, IncidentNotice } from '../../providers/domain';
import { type BotServices, buildIncidentView, looksLikeSlackUser } from '../core';
import { incidentBlocks, textBlocks } from './blocks';
import { escapeMrkdwn, mentionUser } from './mrkdwn';

/** The card's bookkeeping item (workflow_state, PK incident id): who posts it, and the newest notice shown. */
export const CARD_SK = 'BOT#slack#card';

/** Kinds whose thread reply adds something the card's status line cannot hold. */
const THREAD_KINDS = new Set<IncidentNotice['kind']>([
  'approved',
  'rejected',
  'expired',
  'executed',
  'resolved',
  'not_resolved',
  'escalated',
  'failed',
  'rolled_back',
]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  constructor(
    private readonly client: WebClient,
    private readonly svc: BotServices,
    private readonly opts: CardPublisherOptions,
  ) {}

  async deliver(notice: IncidentNotice): Promise<void> {
    const incident_id = notice.state.incident.incident_id;
    const log = this.opts.logger;
    const view = buildIncidentView(notice, { ...this.svc.rt.config, oncall_group: this.opts.oncall_group });
    const card = incidentBlocks(view);
    this.mentionActor(card.blocks, notice);
    const db = this.svc.rt.aws.dynamo;

    let ref = await this.findRef(notice);
    if (!ref) {
      const claim = await db.put(
        'workflow_state',
        {
          workflow_id: incident_id,
          timestamp: CARD_SK,
          last_at: notice.at,
          claimed_at: this.svc.rt.now().toISOString(),
        },
        { expression: 'attribute_not_exists(workflow_id)' },
      );
      if (claim.ok) {
        let posted: Awaited<ReturnType<WebClient['chat']['postMessage']>>;
        try {
          posted = await this.client.chat.postMessage({
            channel: this.opts.channel,
            text: card.text,
            blocks: card.blocks,
          });
          if (!posted.ts) throw new Error('no ts in the answer');
        } catch (e) {
          // Give the claim back so the retry (Lambda's, or the next notice) can post the card.
          await db.delete('workflow_state', { workflow_id: incident_id, timestamp: CARD_SK });
          throw new Error(
            `Slack chat.postMessage of the card for ${incident_id} failed: ${(e as Error).message}`,
          );
        }
        if (!posted.ts) throw new Error(`Slack chat.postMessage for ${incident_id} returned no ts`);
        await this.svc.store.addChatRef(incident_id, {
          surface: 'slack',
          channel: posted.channel ?? this.opts.channel,
          message_id: posted.ts,
        });
        log.info('incident card posted', { incident_id, kind: notice.kind, ts: posted.ts });
        await this.threadReplies(posted.channel ?? this.opts.channel, posted.ts, card.overflow);
        return;
      }
      ref = await this.waitForRef(incident_id);
      if (!ref)
        throw new Error(
          `incident ${incident_id}: the card is being posted by another worker and did not appear in time`,
        );
    }

    const fresh = await db.update(
      'workflow_state',
      { workflow_id: incident_id, timestamp: CARD_SK },
      { expression: 'SET last_at = :at', values: { ':at': notice.at } },
      { expression: 'attribute_not_exists(last_at) OR last_at <= :at', values: { ':at': notice.at } },
    );
    if (!fresh.ok) {
      log.info('older notice not shown: the card already shows a newer state', {
        incident_id,
        kind: notice.kind,
      });
      return;
    }
    await this.client.chat.update({
      channel: ref.channel,
      ts: ref.message_id,
      text: card.text,
      blocks: card.blocks,
    });
    log.info('incident card updated', { incident_id, kind: notice.kind });

    const replies = [...card.overflow];
    if (THREAD_KINDS.has(notice.kind)) {
      const detail = notice.detail ? `\n>${escapeMrkdwn(notice.detail).replace(/\n/g, '\n>')}` : '';
      replies.unshift(`${this.statusLine(notice, view.status)}${detail}`);
    }
    await this.threadReplies(ref.channel, ref.message_id, replies);
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

  private async findRef(notice: IncidentNotice): Promise<ChatRef | undefined> {
    const fromNotice = notice.chat_refs.find((r) => r.surface === 'slack');
    if (fromNotice) return fromNotice;
    const refs = await this.svc.store.getChatRefs(notice.state.incident.incident_id);
    return refs.find((r) => r.surface === 'slack');
  }

  private async waitForRef(incident_id: string): Promise<ChatRef | undefined> {
    const deadline = Date.now() + (this.opts.wait_for_card_ms ?? 5_000);
    while (Date.now() < deadline) {
      await sleep(100);
      const refs = await this.svc.store.getChatRefs(incident_id);
      const ref = refs.find((r) => r.surface === 'slack');
      if (ref) return ref;
    }
    return undefined;
  }

  private async threadReplies(channel: string, thread_ts: string, texts: string[]): Promise<void> {
    for (const text of texts) {
      const blocks = textBlocks(text);
      await this.client.chat.postMessage({ channel, thread_ts, text: text.slice(0, 300), blocks });
    }
  }
}
