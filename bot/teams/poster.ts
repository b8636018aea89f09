import { Activity, ActivityTypes, type ConversationReference } from '@microsoft/agents-activity';
import { CardFactory, type CloudAdapter, type TurnContext } from '@microsoft/agents-hosting';
import type { AdaptiveCard } from './cards';
import type { StoredConversation } from './conversations';
import { withTimeout } from './timeout';

/** What a proactive message may carry: a card, or markdown text. */
export type Outgoing = { card: AdaptiveCard; summary?: string } | { text: string };

const POST_TIMEOUT_MS = 15_000;
const ATTEMPTS = 3;

export function toActivity(m: Outgoing): Activity {
  if ('card' in m)
    return Activity.fromObject({
      type: ActivityTypes.Message,
      attachments: [CardFactory.adaptiveCard(m.card)],
      ...(m.summary ? { summary: m.summary } : {}),
    });
  return Activity.fromObject({ type: ActivityTypes.Message, text: m.text, textFormat: 'markdown' });
}

/**
 * Proactive posting and in-place updates through the adapter (`continueConversation` with the
 * stored reference; signed with the app's credentials, anonymous locally). Each call has a timeout and is retried twice with backoff; a 4xx other than 429
 * is not retried (the conversation or message is gone).
 */
export class TeamsPoster {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async post(ref: StoredConversation, m: Outgoing): Promise<string> {
    return this.attempt(`post to ${ref.conversation.id}`, async () => {
      const id = await this.inConversation(ref, async (ctx) => (await ctx.sendActivity(toActivity(m)))?.id);
      if (!id) throw new Error('the channel returned no activity id');
      return id;
    });
  }

  async update(ref: StoredConversation, activityId: string, m: Outgoing): Promise<void> {
    await this.attempt(`update of ${activityId} in ${ref.conversation.id}`, async () => {
      await this.inConversation(ref, async (ctx) => {
        const activity = toActivity(m);
        activity.id = activityId;
        await ctx.updateActivity(activity);
      });
    });
  }

  /**
   * Runs `fn` in a proactive turn. The adapter hands a turn's errors to onTurnError; they are caught
   * here instead so the retry sees them. Without an app id (local) the identity is anonymous.
   */
  private async inConversation<T>(ref: StoredConversation, fn: (ctx: TurnContext) => Promise<T>): Promise<T> {
    let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await this.adapter.continueConversation(this.appId || {}, asReference(ref), async (ctx) => {
      try {
        result = { ok: true, value: await fn(ctx) };
      } catch (error) {
        result = { ok: false, error };
      }
    });
    if (!result) throw new Error('the proactive turn did not run');
    if (!result.ok) throw result.error;
    return result.value;
  }

  private async attempt<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let last: unknown;
    for (let i = 0; i < ATTEMPTS; i++) {
      try {
        return await withTimeout(fn(), POST_TIMEOUT_MS, `Teams ${what}`);
      } catch (e) {
        last = e;
        // The SDK's HttpError carries `status`.
        const { status: http, statusCode } = e as { status?: unknown; statusCode?: unknown };
        const status =
          typeof http === 'number' ? http : typeof statusCode === 'number' ? statusCode : undefined;
        if (status !== undefined && status >= 400 && status < 500 && status !== 429) break;
        if (i < ATTEMPTS - 1) await new Promise((r) => setTimeout(r, 200 * 2 ** i));
      }
    }
    throw new Error(`Teams ${what} failed: ${(last as Error)?.message ?? String(last)}`);
  }
}

export function asReference(ref: StoredConversation): ConversationReference {
  return {
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    conversation: {
      id: ref.conversation.id,
      isGroup: ref.conversation.isGroup ?? false,
      conversationType: ref.conversation.conversationType ?? 'personal',
      // The SDK's schema refuses empty names: leave them out.
      ...(ref.conversation.name ? { name: ref.conversation.name } : {}),
      ...(ref.conversation.tenantId ? { tenantId: ref.conversation.tenantId } : {}),
    },
    ...(ref.bot ? { agent: { id: ref.bot.id, ...(ref.bot.name ? { name: ref.bot.name } : {}) } } : {}),
    ...(ref.locale ? { locale: ref.locale } : {}),
  };
}
