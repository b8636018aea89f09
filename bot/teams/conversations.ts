import { z } from 'zod';
import type { DynamoProvider } from '../../providers/aws/types';

/**
 * Where proactive cards go: the conversation reference Teams gave us when the app was installed (or
 * first addressed), kept in workflow_state under `TEAMS#CONVREF` so every process (the ingress Lambda
 * that saw the install, the worker that posts) reads the same one.
 */
export const CONVREF_PK = 'TEAMS#CONVREF';
export const CONVREF_SK = 'DEFAULT';

/** The parts of a Bot Framework ConversationReference needed to post into a conversation later. */
export const StoredConversation = z.object({
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
    name: z.string().optional(),
  }),
  bot: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  locale: z.string().optional(),
});
export type StoredConversation = z.infer<typeof StoredConversation>;

/** `19:abc@thread.tacv2;messageid=171…` → the channel `19:abc@thread.tacv2` and the thread's root message id. */
export function splitThread(conversationId: string): { base: string; root?: string } {
  const m = /^(.*);messageid=([^;]+)$/.exec(conversationId);
  return m ? { base: m[1]!, root: m[2]! } : { base: conversationId };
}

/** The same conversation addressed at a card's reply chain (channels only; chats have no threads). */
export function inThread(ref: StoredConversation, rootActivityId: string): StoredConversation {
  return {
    ...ref,
    conversation: {
      ...ref.conversation,
      id: `${splitThread(ref.conversation.id).base};messageid=${rootActivityId}`,
    },
  };
}

/** The stored reference of an incoming activity (the SDK calls the bot `recipient`; we store it as `bot`). */
export function referenceFrom(a: {
  channelId?: string;
  serviceUrl?: string;
  conversation?: StoredConversation['conversation'];
  recipient?: { id?: string; name?: string };
  locale?: string;
}): StoredConversation {
  return toStored({
    channelId: a.channelId,
    serviceUrl: a.serviceUrl,
    conversation: a.conversation,
    bot: a.recipient?.id ? { id: a.recipient.id, name: a.recipient.name } : undefined,
    locale: a.locale,
  });
}

/** Normalises a reference taken from an incoming activity: the top-level conversation, no reply target. */
export function toStored(ref: {
  channelId?: string;
  serviceUrl?: string;
  conversation?: {
    id: string;
    conversationType?: string;
    tenantId?: string;
    isGroup?: boolean;
    name?: string;
  };
  bot?: { id: string; name?: string };
  locale?: string;
}): StoredConversation {
  const parsed = StoredConversation.safeParse({
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    conversation: ref.conversation
      ? {
          id: splitThread(ref.conversation.id).base,
          conversationType: ref.conversation.conversationType,
          tenantId: ref.conversation.tenantId,
          isGroup: ref.conversation.isGroup,
          name: ref.conversation.name,
        }
      : undefined,
    bot: ref.bot ? { id: ref.bot.id, name: ref.bot.name } : undefined,
    locale: ref.locale,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Teams conversation reference is incomplete: ${issue?.path.join('.') || 'reference'} ${issue?.message ?? ''}`.trim(),
    );
  }
  return parsed.data;
}

export interface ConversationStore {
  /** The conversation cards are posted to, if the app was installed somewhere. */
  getDefault(): Promise<StoredConversation | undefined>;
  /**
   * Remembers where to post. An installation replaces the target (an admin added the app there on
   * purpose); being addressed first only sets it when none is known, so a stray chat cannot take over.
   * True when the target is now a different conversation than before.
   */
  saveDefault(ref: StoredConversation, mode: 'replace' | 'if_absent'): Promise<boolean>;
  /** The app was removed from a conversation: forget it if it was the target. */
  forget(conversationId: string): Promise<boolean>;
}

export function createConversationStore(
  db: DynamoProvider,
  now: () => Date = () => new Date(),
): ConversationStore {
  const key = { workflow_id: CONVREF_PK, timestamp: CONVREF_SK };
  return {
    async getDefault() {
      const item = await db.get('workflow_state', key);
      if (!item) return undefined;
      try {
        return StoredConversation.parse(JSON.parse(String(item.ref_json)));
      } catch (e) {
        throw new Error(
          `workflow_state: the stored Teams conversation is unreadable (${(e as Error).message})`,
        );
      }
    },
    async saveDefault(ref, mode) {
      const r = StoredConversation.parse(ref);
      const item = {
        ...key,
        ref_json: JSON.stringify(r),
        conversation_id: r.conversation.id,
        updated_at: now().toISOString(),
      };
      if (mode === 'if_absent')
        return (await db.put('workflow_state', item, { expression: 'attribute_not_exists(workflow_id)' })).ok;
      // Only a different conversation counts as a change (Teams sends two activities per install).
      const changed = await db.put('workflow_state', item, {
        expression: 'attribute_not_exists(workflow_id) OR conversation_id <> :id',
        values: { ':id': r.conversation.id },
      });
      if (!changed.ok) await db.put('workflow_state', item); // same conversation: refresh its serviceUrl
      return changed.ok;
    },
    async forget(conversationId) {
      const current = await db.get('workflow_state', key);
      if (!current || current.conversation_id !== splitThread(conversationId).base) return false;
      await db.delete('workflow_state', key);
      return true;
    },
  };
}
