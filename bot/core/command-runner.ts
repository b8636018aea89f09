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
}

export function helpReply(unknown?: string): CommandReply {
  return {
    title: unknown ? `Unknown command \`${unknown}\`. Usage:` : 'BDP Agent commands',
    lines: USAGE,
  };
}

/** The answer to `/bdp analyze <service>` once the analysis is queued. */
export function analysisQueuedReply(service: string, channel_label: string): CommandReply {
  return {
    title: `Analysing ${service}…`,
    lines: [`The incident card will appear in ${channel_label} if something is wrong.`],
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
      return analysisQueuedReply(cmd.service, ctx.channel_label);
    case 'status': {
      const open = await svc.store.listOpen(20);
      if (open.length === 0)
        return { title: 'No open incidents', lines: ['Nothing needs attention right now.'] };
      const pending = open.filter((r) => r.status === 'awaiting_approval');
      return {
        title: `${open.length} open incident${open.length === 1 ? '' : 's'}, ${pending.length} awaiting approval`,
        lines: open.map((r) => {
          const a = r.state.analysis;
          const conf = a ? ` · confidence ${Math.round(a.confidence_score * 100)}%` : '';
          const waiting =
            r.approval?.status === 'pending' ? ` · approval until ${formatTime(r.approval.expires_at)}` : '';
          return `\`${r.incident_id}\` ${r.service} — ${r.status.replace(/_/g, ' ')}${conf}${waiting} · ${formatTime(r.updated_at)}`;
        }),
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
