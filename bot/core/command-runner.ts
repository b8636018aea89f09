import type { ChatRef, IncidentStatus } from '../../providers/domain';
import { type BdpCommand, USAGE } from './commands';
import { looksLikeSlackUser } from './decision-messages';
import type { BotServices } from './services';
import { formatTime } from './text';

/**
 * A surface-neutral reply: a title and lines in light markdown (`code`, no bold syntax), already
 * escaped for the surface through `CommandContext.escape`, so adapters print them as they are.
 */
export interface CommandReply {
  title: string;
  lines: string[];
}

export interface CommandContext {
  /** The asking user's id on the surface (kept for the audit trail of on-demand runs). */
  user: string;
  /** Queues the on-demand analysis so the command answers at once. */
  enqueueAnalysis(service: string): Promise<void>;
  /** How the surface names the incident channel, for "the card will appear in …". */
  channel_label: string;
  /** How the surface mentions a user id in text (Slack `<@U…>`). */
  mention(user_id: string): string;
  /** Escapes text that came from data (errors, ids) for the surface's markup. */
  escape(text: string): string;
  /** A link to a card on this surface (`<url|card>` in Slack), when the surface can make one. */
  cardLink?(ref: ChatRef): string | undefined;
}

/** Statuses where the workflow waits for, or handed over to, a person. */
const NEEDS_PERSON: ReadonlySet<IncidentStatus> = new Set<IncidentStatus>([
  'awaiting_approval',
  'escalated',
  'expired',
  'failed',
  'rejected',
  'rolled_back',
]);

const STATUS_WORDS: Record<IncidentStatus, string> = {
  open: 'detected, not analysed yet',
  analyzing: 'being analysed',
  awaiting_approval: 'waiting for approval',
  approved: 'approved, about to run',
  rejected: 'action rejected, not resolved',
  expired: 'approval expired: escalated',
  executing: 'action running',
  executed: 'action ran, verifying',
  resolved: 'resolved',
  escalated: 'escalated: needs a person',
  failed: 'failed: needs a person',
  rolled_back: 'rolled back, not resolved',
};

/** "3 min", "2 h 5 min", "1 d 4 h". */
export function formatAge(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

export function helpReply(unknown?: string): CommandReply {
  return {
    title: unknown ? `Unknown command \`${unknown}\`. Usage:` : 'BDP Agent commands',
    lines: USAGE,
  };
}

/** Runs a parsed command. Reads are quick (two DynamoDB calls); analysis is queued, never awaited. */
export async function runCommand(
  svc: BotServices,
  cmd: BdpCommand,
  ctx: CommandContext,
): Promise<CommandReply> {
  switch (cmd.verb) {
    case 'help':
      return helpReply(cmd.unknown);
    case 'analyze':
      await ctx.enqueueAnalysis(cmd.service);
      return {
        title: `Analysing ${cmd.service}…`,
        lines: [`The incident card will appear in ${ctx.channel_label} if something is wrong.`],
      };
    case 'status': {
      const all = await svc.store.listUnresolved(50);
      const rows = all.filter((r) => !cmd.service || r.service === cmd.service).slice(0, 20);
      const scope = cmd.service ? ` for ${cmd.service}` : '';
      if (rows.length === 0)
        return {
          title: `Nothing needs attention${scope}`,
          lines: ['Every incident is resolved (or none was detected).'],
        };
      const people = rows.filter((r) => NEEDS_PERSON.has(r.status)).length;
      const now = svc.rt.now().getTime();
      const lines = await Promise.all(
        rows.map(async (r) => {
          const a = r.state.analysis;
          const conf = a ? ` · confidence ${Math.round(a.confidence_score * 100)}%` : '';
          const waiting =
            r.approval?.status === 'pending' ? ` · approve by ${formatTime(r.approval.expires_at)}` : '';
          const age = formatAge(now - Date.parse(r.created_at));
          const refs = ctx.cardLink ? await svc.store.getChatRefs(r.incident_id).catch(() => []) : [];
          const link = refs.map((ref) => ctx.cardLink?.(ref)).find(Boolean);
          const mark = NEEDS_PERSON.has(r.status) ? '⚠️ ' : '';
          return `${mark}${r.service} — ${STATUS_WORDS[r.status]}${conf}${waiting} · ${age} old · ${link ?? `\`${r.incident_id}\``}`;
        }),
      );
      return {
        title: `${rows.length} unresolved incident${rows.length === 1 ? '' : 's'}${scope}, ${people} need${people === 1 ? 's' : ''} a person`,
        lines,
      };
    }
    case 'history': {
      const rows = await svc.history.listForService(cmd.service, cmd.limit);
      if (rows.length === 0)
        return {
          title: `No remediations recorded for ${cmd.service}`,
          lines: ['(the history keeps 90 days)'],
        };
      return {
        title: `Last ${rows.length} remediation${rows.length === 1 ? '' : 's'} on ${cmd.service}`,
        lines: rows.map((r) => {
          const params = ctx.escape(
            Object.entries(r.parameters)
              .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
              .join(', '),
          );
          const by = looksLikeSlackUser(r.executed_by)
            ? ctx.mention(r.executed_by)
            : ctx.escape(r.executed_by);
          const err = r.error ? ` (${ctx.escape(r.error)})` : '';
          return `${formatTime(r.execution_time)} · ${r.action} \`${params}\` → ${r.status}${r.dry_run ? ' (dry run)' : ''}${err} · ${by} · \`${r.incident_id}\``;
        }),
      };
    }
  }
}
