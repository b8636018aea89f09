import type { Logger } from '@aws-lambda-powertools/logger';
import {
  ActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from '@microsoft/agents-hosting';
import * as z from 'zod';
import type { DecisionOutcome } from '../../pipeline/approval/service';
import { createWorkflowStore } from '../../pipeline/state';
import { Incident, IncidentNotice, type NoticeKind } from '../../providers/domain';
import { createLogger } from '../../providers/redact';
import {
  type BotServices,
  buildIncidentView,
  decisionMessage,
  helpReply,
  parseBdpCommand,
  runCommand,
} from '../core';
import type { JobQueue } from '../worker/queue';
import { checkTeamsIdentity, resolveTeamsApprover, teamsTenantId } from './approvers';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  commandReplyText,
  escapeMessageMarkdown,
  incidentCard,
  MAX_REASON,
  VERBS,
  type Verb,
} from './cards';
import { type ConversationStore, inThread, referenceFrom, splitThread } from './conversations';
import { claimActivity } from './dedup';
import { THINKING_TEXT } from './jobs';
import { toActivity } from './poster';

export interface TeamsBotDeps {
  svc: BotServices;
  queue: JobQueue;
  conversations: ConversationStore;
  logger?: Logger;
}

/** The data every card button carries (plus the reject reason input); validated, never trusted for more. */
const ActionData = z.object({
  incident_id: Incident.shape.incident_id,
  reason: z.string().max(MAX_REASON).optional(),
});
/** An `Action.Submit` fallback arrives as a message whose value names the verb. */
const SubmitValue = ActionData.extend({ verb: z.enum([VERBS.approve, VERBS.reject, VERBS.rollback]) });

const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';
/** The adapter refuses activities without a conversation id, so this is never empty in a turn. */
const conversationOf = (a: TurnContext['activity']) => a.conversation?.id ?? '';
/** The one answer to anyone who may not decide, whatever the reason (the reason goes to the record). */
const NOT_APPROVER = 'You are not an approver for this action. The attempt was recorded.';
const markdown = (text: string) => toActivity({ text });

/** `<at>BDP</at> analyze x` → `analyze x`; other markup and a leading `/bdp` (as typed in Slack) go too. */
export function commandText(raw: string): string {
  return raw
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim()
    .replace(/^\/?bdp\s+/i, '')
    .trim();
}

/**
 * The Teams bot: commands, card buttons (Universal Actions, with Action.Submit as fallback), follow-up
 * questions in a card's reply chain, and remembering where to post. Who acts comes from the activity
 * (signed by the Bot Framework when credentials are set); button data is trusted for the incident id only.
 */
export class BdpTeamsBot extends ActivityHandler {
  private readonly log: Logger;

  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.log = deps.logger ?? createLogger('bdp-teams');

    this.onMembersAdded(async (context, next) => {
      const bot = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((m) => m.id === bot)) await this.installed(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.installed(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      const forgot = await deps.conversations.forget(conversationOf(context.activity));
      this.log.info('teams app removed', {
        conversation: conversationOf(context.activity),
        was_target: forgot,
      });
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
  }

  private async installed(context: TurnContext): Promise<void> {
    const ref = referenceFrom(context.activity);
    // Teams sends both installationUpdate and conversationUpdate on install: greet once.
    if (!(await this.deps.conversations.saveDefault(ref, 'replace'))) return;
    this.log.info('teams conversation stored for incident cards', {
      conversation: ref.conversation.id,
      type: ref.conversation.conversationType,
    });
    await context.sendActivity(
      markdown(
        'BDP Agent is here: incident cards will be posted in this conversation. Send `help` for the commands.',
      ),
    );
  }

  private async message(context: TurnContext): Promise<void> {
    const a = context.activity;
    const submitted = SubmitValue.safeParse(a.value);
    if (a.value !== undefined && a.value !== null && !a.text) {
      if (!submitted.success) {
        await context.sendActivity(markdown('That button payload was not understood; nothing was done.'));
        return;
      }
      await this.submit(context, submitted.data);
      return;
    }
    const text = commandText(a.text ?? '');
    const svc = this.deps.svc;
    // The first conversation that addresses the bot becomes the card target when none is known.
    await this.deps.conversations.saveDefault(referenceFrom(a), 'if_absent');

    const { base, root } = splitThread(conversationOf(a));
    if (root) {
      const incident_id = await svc.store.findIncidentByChatRef('teams', base, root);
      if (incident_id) {
        await this.followUp(context, incident_id, text, root);
        return;
      }
    }
    await this.command(context, text);
  }

  private async followUp(
    context: TurnContext,
    incident_id: string,
    question: string,
    root: string,
  ): Promise<void> {
    const a = context.activity;
    if (!question) return;
    // The Bot Framework retries a delivery it thinks failed: claim the activity once.
    if (
      a.id &&
      !(await claimActivity(
        this.deps.svc.rt.aws.dynamo,
        `${conversationOf(a)}:${a.id}`,
        this.deps.svc.rt.now(),
      ))
    ) {
      this.log.info('duplicate delivery ignored', { incident_id });
      return;
    }
    const thinking = await context.sendActivity(markdown(THINKING_TEXT));
    if (!thinking?.id) throw new Error('Teams did not return the id of the "thinking…" message');
    await this.deps.queue.enqueue({
      type: 'followup',
      surface: 'teams',
      data: {
        incident_id,
        // The answer replaces the "thinking…" message in the reply chain it was asked in.
        conversation: inThread(referenceFrom(a), root),
        thinking_id: thinking.id,
        question: question.slice(0, 4000),
        user: a.from?.aadObjectId || a.from?.id || 'unknown',
      },
    });
    this.log.info('follow-up queued', { incident_id });
  }

  private async command(context: TurnContext, text: string): Promise<void> {
    const a = context.activity;
    const svc = this.deps.svc;
    const parsed = parseBdpCommand(text, svc.rt.services);
    if (!parsed.ok) {
      await context.sendActivity(markdown(commandReplyText({ title: parsed.error, lines: [] })));
      return;
    }
    const cmd = parsed.command;
    const user = a.from?.aadObjectId || a.from?.id || 'unknown';
    if (cmd.verb === 'analyze' && a.id) {
      if (!(await claimActivity(svc.rt.aws.dynamo, `${conversationOf(a)}:${a.id}`, svc.rt.now()))) return;
    }
    const conversation = referenceFrom(a);
    try {
      const reply =
        cmd.verb === 'help'
          ? helpReply(cmd.unknown)
          : await runCommand(svc, cmd, {
              user,
              channel_label: 'the incidents conversation',
              mention: (id) => escapeMessageMarkdown(id),
              escape: escapeMessageMarkdown,
              enqueueAnalysis: (service) =>
                this.deps.queue.enqueue({
                  type: 'analyze',
                  surface: 'teams',
                  data: { service, user, conversation },
                }),
            });
      await context.sendActivity(markdown(commandReplyText(reply)));
      this.log.info('command', { verb: cmd.verb, user });
    } catch (e) {
      this.log.error('command failed', { verb: cmd.verb, error: (e as Error).message });
      // The error stays in the log: its text may name internals.
      await context.sendActivity(markdown(`\`${cmd.verb}\` failed; it was logged. Try again in a moment.`));
    }
  }

  /** Action.Execute: decide and answer with the updated card (who decided, when, no stale buttons). */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const verb = invokeValue.action?.verb;
    const data = ActionData.safeParse(invokeValue.action?.data);
    if (!data.success || !Object.values(VERBS).includes(verb as Verb)) {
      this.log.warn('card action not understood', { verb });
      return message(400, 'That button was not understood; nothing was done.');
    }
    const { incident_id, reason } = data.data;
    if (verb === VERBS.rollback) return message(200, await this.requestRollback(context, incident_id));
    const decision = verb === VERBS.approve ? 'approve' : 'reject';
    let outcome: DecisionOutcome | undefined;
    try {
      outcome = await this.decide(context, incident_id, decision, reason);
    } catch {
      return message(
        200,
        `Your ${decision} of ${incident_id} could not be recorded; it was logged. Try again.`,
      );
    }
    if (!outcome) return message(200, NOT_APPROVER);
    const card = await this.cardAfter(outcome);
    if (card) return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
    return message(
      200,
      decisionMessage(outcome, (id) => id),
    );
  }

  /** Action.Submit fallback: the same decision, answered with a message (the worker updates the card). */
  private async submit(context: TurnContext, v: z.infer<typeof SubmitValue>): Promise<void> {
    if (v.verb === VERBS.rollback) {
      await context.sendActivity(markdown(await this.requestRollback(context, v.incident_id)));
      return;
    }
    const decision = v.verb === VERBS.approve ? 'approve' : 'reject';
    try {
      const outcome = await this.decide(context, v.incident_id, decision, v.reason);
      await context.sendActivity(markdown(outcome ? decisionMessage(outcome, (id) => id) : NOT_APPROVER));
    } catch {
      await context.sendActivity(
        markdown(`Your ${decision} of \`${v.incident_id}\` could not be recorded; it was logged. Try again.`),
      );
    }
  }

  /** Queues a rollback for the worker when the caller's identity holds; returns the answer to show. */
  private async requestRollback(context: TurnContext, incident_id: string): Promise<string> {
    const user = await this.approver(context, incident_id, 'roll back');
    if (!user) return NOT_APPROVER;
    await this.deps.queue.enqueue({
      type: 'rollback',
      surface: 'teams',
      data: { incident_id, user, conversation: referenceFrom(context.activity) },
    });
    return 'Rollback requested; the card updates when it is done.';
  }

  /**
   * The approver for a decision or rollback, or undefined when the activity may not carry one (not
   * Teams, another tenant, no AAD object id): that refusal is logged and recorded in the incident's
   * history (who tried, why). Whether the person is on TEAMS_APPROVERS is the approval service's call.
   */
  private async approver(
    context: TurnContext,
    incident_id: string,
    attempt: 'approve' | 'reject' | 'roll back',
  ) {
    const config = this.deps.svc.rt.config;
    const identity = checkTeamsIdentity(context.activity, teamsTenantId(config));
    if (identity.ok)
      return resolveTeamsApprover(context, identity, config.TEAMS_APPROVERS, (error) =>
        this.log.warn('approver UPN not readable: matched by AAD object id only', { error }),
      );
    this.log.warn('teams decision refused: identity not acceptable', {
      incident_id,
      attempt,
      caller: identity.caller.label,
      reason: identity.reason,
      channel: context.activity.channelId,
    });
    try {
      // Only incidents that exist get a history entry (no rows for made-up ids).
      if (await this.deps.svc.store.getState(incident_id))
        await createWorkflowStore(this.deps.svc.rt).addHistory(incident_id, {
          at: this.deps.svc.rt.now().toISOString(),
          event: attempt === 'roll back' ? 'unauthorized_rollback' : 'unauthorized_decision',
          actor: `teams:${identity.caller.label}`,
          detail: `tried to ${attempt}; refused: ${identity.reason}`,
        });
    } catch (e) {
      this.log.error('refusal not recorded', { incident_id, error: (e as Error).message });
    }
    return undefined;
  }

  /** Undefined when the identity was refused (recorded by `approver`). */
  private async decide(
    context: TurnContext,
    incident_id: string,
    decision: 'approve' | 'reject',
    reason: string | undefined,
  ): Promise<DecisionOutcome | undefined> {
    const user = await this.approver(context, incident_id, decision);
    if (!user) return undefined;
    try {
      const outcome = await this.deps.svc.approvals.decide({
        incident_id,
        decision,
        user,
        ...(reason?.trim() ? { reason: reason.trim() } : {}),
      });
      this.log.info('decision', { incident_id, decision, user: user.user_id, outcome: outcome.outcome });
      return outcome;
    } catch (e) {
      this.log.error('decision failed', { incident_id, decision, error: (e as Error).message });
      throw e;
    }
  }

  /** The card as it stands after a decision; undefined when the card does not change (refused, unknown). */
  private async cardAfter(o: DecisionOutcome) {
    if (o.outcome === 'not_approver' || o.outcome === 'not_found') return undefined;
    const svc = this.deps.svc;
    const incident_id = o.request.incident_id;
    const state = await svc.store.getState(incident_id);
    if (!state) return undefined;
    let kind: NoticeKind;
    let actor: string | undefined;
    let at = o.request.decided_at ?? svc.rt.now().toISOString();
    if (o.outcome === 'approved' || o.outcome === 'rejected') {
      kind = o.outcome;
      actor = await this.actorName(incident_id, o.outcome, o.request.decided_by);
    } else if (o.outcome === 'expired') {
      kind = 'expired';
      at = o.request.expires_at;
    } else {
      kind = o.status;
      actor = o.status === 'expired' ? undefined : await this.actorName(incident_id, o.status, o.decided_by);
      at = o.decided_at ?? at;
    }
    const notice = IncidentNotice.parse({
      kind,
      at,
      state,
      actor,
      detail: o.request.reason,
      chat_refs: [],
    });
    return incidentCard(buildIncidentView(notice, svc.rt.config));
  }

  /** How the decider is named on the card: the display name the audit trail kept, else the id. */
  private async actorName(incident_id: string, event: string, user_id?: string): Promise<string | undefined> {
    if (!user_id) return undefined;
    try {
      const history = await createWorkflowStore(this.deps.svc.rt).getHistory(incident_id);
      const entry = [...history].reverse().find((h) => h.event === event && h.actor?.includes(user_id));
      const name = entry?.actor ? /\((.+)\)$/.exec(entry.actor)?.[1] : undefined;
      return name ?? user_id;
    } catch {
      return user_id;
    }
  }
}

/** An invoke answer that shows a message instead of replacing the card. */
function message(statusCode: number, text: string): AdaptiveCardInvokeResponse {
  // The schema types `value` as an object; for this response type the Bot Framework wants the text itself.
  return { statusCode, type: MESSAGE_RESPONSE, value: text as unknown as Record<string, unknown> };
}
