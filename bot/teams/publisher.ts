import type { Logger } from '@aws-lambda-powertools/logger';
import type { IncidentNotice } from '../../providers/domain';
import {
  type BotServices,
  buildIncidentView,
  type CardLedger,
  cardSortKey,
  createCardLedger,
  THREAD_KINDS,
} from '../core';
import { escapeCardMarkdown, incidentCard, textCard } from './cards';
import { type ConversationStore, inThread, StoredConversation } from './conversations';
import type { TeamsPoster } from './poster';

/** The card's bookkeeping item (workflow_state, PK incident id): the conversation it is in, the newest notice shown. */
export const TEAMS_CARD_SK = cardSortKey('teams');

export interface TeamsPublisherOptions {
  logger: Logger;
  oncall_group?: string;
  /** How long a second notice waits for the first one's card to exist (ms). */
  wait_for_card_ms?: number;
}

/**
 * Shows workflow notices in Teams: the first notice of an incident posts the card to the stored
 * conversation (its activity id becomes a ChatRef); later ones update it in place. A conditional write
 * decides who posts, so racing notices never make two cards, and an older notice never rolls the card back.
 */
export class TeamsCardPublisher {
  private readonly ledger: CardLedger;

  constructor(
    private readonly poster: TeamsPoster,
    private readonly svc: BotServices,
    private readonly conversations: ConversationStore,
    private readonly opts: TeamsPublisherOptions,
  ) {
    this.ledger = createCardLedger(svc.rt.aws.dynamo, 'teams', {
      now: () => svc.rt.now(),
      wait_ms: opts.wait_for_card_ms,
      name: 'Teams card',
      logger: opts.logger,
    });
  }

  async deliver(notice: IncidentNotice): Promise<void> {
    const incident_id = notice.state.incident.incident_id;
    const log = this.opts.logger;
    const view = buildIncidentView(notice, { ...this.svc.rt.config, oncall_group: this.opts.oncall_group });
    const card = incidentCard(view);
    const summary = `${view.header} — ${view.status}`.slice(0, 300);

    await this.ledger.show(notice, {
      find: () => this.cardPlace(incident_id),
      target: async () => {
        const target = await this.conversations.getDefault();
        if (!target)
          log.warn('Teams: no conversation to post to yet (install the app in a channel or chat)', {
            incident_id,
            kind: notice.kind,
          });
        return target;
      },
      // The conversation goes with the claim, so a notice that lost it finds where the card is.
      claimFields: (target) => ({ ref_json: JSON.stringify(target) }),
      post: async (target) => {
        try {
          return await this.poster.post(target, { card, summary });
        } catch (e) {
          throw new Error(`Teams card for ${incident_id}: ${(e as Error).message}`);
        }
      },
      afterPost: async (target, id) => {
        await this.ledger.record(incident_id, { message_id: id });
        await this.svc.store.addChatRef(incident_id, {
          surface: 'teams',
          channel: target.conversation.id,
          message_id: id,
        });
        log.info('incident card posted (teams)', { incident_id, kind: notice.kind, activity_id: id });
        await this.evidenceReply(target, id, view.all_evidence, view.evidence.length);
      },
      update: async (placed) => {
        await this.poster.update(placed.ref, placed.message_id, { card, summary });
        log.info('incident card updated (teams)', { incident_id, kind: notice.kind });
        if (THREAD_KINDS.has(notice.kind) && isChannel(placed.ref)) {
          const detail = notice.detail ? `\n\n${escapeCardMarkdown(notice.detail)}` : '';
          await this.poster.post(inThread(placed.ref, placed.message_id), {
            card: textCard(escapeCardMarkdown(view.status), `${escapeCardMarkdown(view.header)}${detail}`),
          });
        }
      },
    });
  }

  /** Where the incident's card is: the conversation stored with the claim, and its activity id. */
  private async cardPlace(
    incident_id: string,
  ): Promise<{ ref: StoredConversation; message_id: string } | undefined> {
    const item = await this.ledger.get(incident_id);
    if (!item || typeof item.message_id !== 'string' || typeof item.ref_json !== 'string') return undefined;
    const ref = StoredConversation.safeParse(JSON.parse(item.ref_json));
    return ref.success ? { ref: ref.data, message_id: item.message_id } : undefined;
  }

  /** More evidence than the card holds goes to the card's thread (chats have none: the next message). */
  private async evidenceReply(
    ref: StoredConversation,
    cardId: string,
    all: string[],
    shown: number,
  ): Promise<void> {
    if (all.length <= shown) return;
    const text = all.map((c, i) => `${i + 1}. ${escapeCardMarkdown(c)}`).join('\n');
    await this.poster.post(isChannel(ref) ? inThread(ref, cardId) : ref, {
      card: textCard('All evidence', text),
    });
  }
}

const isChannel = (ref: StoredConversation) => ref.conversation.conversationType === 'channel';
