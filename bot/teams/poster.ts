import {
  type Activity,
  ActivityTypes,
  CardFactory,
  type CloudAdapter,
  type ConversationReference,
} from 'botbuilder';
import type { AdaptiveCard } from './cards';
import type { StoredConversation } from './conversations';
import { withTimeout } from './timeout';

/** What a proactive message may carry: a card, or markdown text. */
export type Outgoing = { card: AdaptiveCard; summary?: string } | { text: string };

const POST_TIMEOUT_MS = 15_000;
const ATTEMPTS = 3;

export function toActivity(m: Outgoing): Partial<Activity> {
  if ('card' in m)
    return {
      type: ActivityTypes.Message,
      attachments: [CardFactory.adaptiveCard(m.card)],
      ...(m.summary ? { summary: m.summary } : {}),
    };
  return { type: ActivityTypes.Message, text: m.text, textFormat: 'markdown' };
}

/**
 * Proactive posting and in-place updates through the adapter (`continueConversationAsync` with the
 * stored reference). Each call has a timeout and is retried twice with backoff; a 4xx other than 429
 * is not retried (the conversation or message is gone).
 */
export class TeamsPoster {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async post(ref: StoredConversation, m: Outgoing): Promise<string> {
    return this.attempt(`post to ${ref.conversation.id}`, async () => {
      let id: string | undefined;
      await this.adapter.continueConversationAsync(this.appId, asReference(ref), async (ctx) => {
        id = (await ctx.sendActivity(toActivity(m)))?.id;
      });
      if (!id) throw new Error('the channel returned no activity id');
      return id;
    });
  }

  async update(ref: StoredConversation, activityId: string, m: Outgoing): Promise<void> {
    await this.attempt(`update of ${activityId} in ${ref.conversation.id}`, async () => {
      await this.adapter.continueConversationAsync(this.appId, asReference(ref), async (ctx) => {
        await ctx.updateActivity({ ...toActivity(m), id: activityId });
      });
    });
  }

  private async attempt<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let last: unknown;
    for (let i = 0; i < ATTEMPTS; i++) {
      try {
        return await withTimeout(fn(), POST_TIMEOUT_MS, `Teams ${what}`);
      } catch (e) {
        last = e;
        const status = (e as { statusCode?: number }).statusCode;
        if (status !== undefined && status >= 400 && status < 500 && status !== 429) break;
        if (i < ATTEMPTS - 1) await new Promise((r) => setTimeout(r, 200 * 2 ** i));
      }
    }
    throw new Error(`Teams ${what} failed: ${(last as Error)?.message ?? String(last)}`);
  }
}

export function asReference(ref: StoredConversation): Partial<ConversationReference> {
  return {
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    conversation: {
      id: ref.conversation.id,
      isGroup: ref.conversation.isGroup ?? false,
      conversationType: ref.conversation.conversationType ?? 'personal',
      name: ref.conversation.name ?? '',
      ...(ref.conversation.tenantId ? { tenantId: ref.conversation.tenantId } : {}),
    },
    ...(ref.bot ? { bot: { id: ref.bot.id, name: ref.bot.name ?? '' } } : {}),
    ...(ref.locale ? { locale: ref.locale } : {}),
  };
}
