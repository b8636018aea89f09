import type { Button, KnownBlock } from '@slack/types';
import type { CardButton, CommandReply, IncidentView } from '../core';
import { formatTime, truncateAtWord } from '../core/text';
import { escapeMrkdwn, link, mentionGroup, mentionUser } from './mrkdwn';

/** Slack's limits (https://docs.slack.dev/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  header: 150,
  buttonValue: 2000,
  confirmText: 300,
  fallbackText: 3000,
} as const;

export const ACTION_IDS = { approve: 'bdp_approve', reject: 'bdp_reject', rollback: 'bdp_rollback' } as const;
export const REJECT_MODAL_ID = 'bdp_reject_modal';
export const REASON_BLOCK = 'reason';
export const REASON_INPUT = 'reason_input';

export interface RenderedCard {
  blocks: KnownBlock[];
  /** Notification / fallback text. */
  text: string;
  /** Full texts that were cut on the card; the caller posts them in the thread. */
  overflow: string[];
}

const TONE_MARK = { attention: '⏳', working: '⚙️', good: '✅', bad: '❌', neutral: 'ℹ️' } as const;

/** A section whose text is cut at a word to Slack's limit; the full text is kept for the thread. */
function section(text: string, overflow: string[], label: string): KnownBlock {
  const cut = truncateAtWord(text, SLACK_LIMITS.sectionText);
  if (cut !== text) overflow.push(`*${label} (full text)*\n${text}`);
  return { type: 'section', text: { type: 'mrkdwn', text: cut } };
}

/**
 * Escapes data text for mrkdwn and puts log-template placeholders (⟨*⟩) in code spans, where `*`
 * is literal: two placeholders in one line would otherwise bold the text between them.
 */
export function escapeCardText(text: string): string {
  return escapeMrkdwn(text.replace(/`/g, "'")).replace(/⟨\*⟩/g, '`⟨*⟩`');
}

/** A log template as one code span (backticks inside would end it early). */
const codeSpan = (t: string) => `\`${escapeMrkdwn(t.replace(/`/g, "'"))}\``;

/** Slack user ids become mentions (the client shows the name); anything else is shown as text. */
const person = (id: string) => (/^[UW][A-Z0-9]{2,}$/.test(id) ? mentionUser(id) : escapeMrkdwn(id));

/** The incident card as Block Kit, inside Slack's limits. */
export function incidentBlocks(view: IncidentView): RenderedCard {
  const overflow: string[] = [];
  const blocks: KnownBlock[] = [];
  const e = escapeCardText;

  blocks.push({
    type: 'header',
    text: { type: 'plain_text', text: truncateAtWord(view.header, SLACK_LIMITS.header), emoji: true },
  });

  const mention = view.mention_group ? ` — on call: ${mentionGroup(view.mention_group)}` : '';
  const deadline = view.approval_deadline
    ? `\nApprove or reject by ${formatTime(view.approval_deadline)}; after that it escalates.`
    : '';
  blocks.push(
    section(`${TONE_MARK[view.tone]} *${e(view.status)}*${mention}${deadline}`, overflow, 'Status'),
  );
  if (view.decision) {
    const d = view.decision;
    const verb = d.status === 'approved' ? 'Approved' : 'Rejected';
    const at = d.at ? ` at ${formatTime(d.at)}` : '';
    const why = d.reason ? ` — “${e(d.reason)}”` : '';
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncateAtWord(`${verb} by ${person(d.by)}${at}${why}`, 3000) }],
    });
  }

  if (view.signals.length > 0) {
    const lines = view.signals.map(
      (s) =>
        `• ${e(s.text)}${s.template ? ` — ${codeSpan(s.template)}` : ''}${s.trend ? `\n    \`${s.trend}\`` : ''}`,
    );
    blocks.push(section(`*Detected*\n${lines.join('\n')}`, overflow, 'Detected'));
  }

  blocks.push(section(`*Root cause*\n${e(view.root_cause)}`, overflow, 'Root cause'));

  if (view.evidence.length > 0) {
    const more = view.all_evidence.length - view.evidence.length;
    const tail = more > 0 ? `\n_+${more} more in the thread_` : '';
    blocks.push(
      section(`*Evidence*\n${view.evidence.map((c) => `• ${e(c)}`).join('\n')}${tail}`, overflow, 'Evidence'),
    );
    if (more > 0)
      overflow.push(`*All evidence*\n${view.all_evidence.map((c, i) => `${i + 1}. ${e(c)}`).join('\n')}`);
  }

  if (view.confidence) {
    const route = view.route ? ` · route *${view.route}*` : '';
    blocks.push(
      section(
        `*Confidence* ${e(view.confidence.text)}${route}\n_${e(view.confidence.explain)}_`,
        overflow,
        'Confidence',
      ),
    );
  }

  if (view.action) {
    const a = view.action;
    const executed = ['executed', 'resolved', 'not_resolved', 'rolled_back'].includes(view.kind);
    const label = executed ? 'Action taken' : 'Proposed action';
    const rationale = a.rationale ? `\n${e(a.rationale)}` : '';
    // Code blocks show parameters verbatim; only the three mrkdwn control characters need escaping.
    blocks.push(
      section(
        `*${label}:* ${e(a.title)} · risk *${a.risk}*\n\`\`\`${e(a.parameters)}\`\`\`${rationale}`,
        overflow,
        label,
      ),
    );
  } else if (view.route === 'escalate') {
    blocks.push(
      section('*Proposed action:* none — a person needs to look at this.', overflow, 'Proposed action'),
    );
  }

  if (view.detail) blocks.push(section(`*Details*\n${e(view.detail)}`, overflow, 'Details'));
  if (view.policy_notes.length > 0) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: truncateAtWord(`Policy: ${e(view.policy_notes.join(' · '))}`, 3000) },
      ],
    });
  }

  const buttons = buttonElements(view);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'bdp_actions', elements: buttons });

  const links = view.links.map((l) => link(l.url, l.label));
  blocks.push({
    type: 'context',
    elements: [
      ...(links.length > 0
        ? [{ type: 'mrkdwn' as const, text: truncateAtWord(links.join(' · '), 3000) }]
        : []),
      {
        type: 'mrkdwn' as const,
        text: `${e(view.footer)}${view.requested_by ? ` · requested by ${person(view.requested_by)}` : ''}`,
      },
    ],
  });

  return {
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
    text: truncateAtWord(`${view.header} — ${view.status}`, SLACK_LIMITS.fallbackText),
    overflow,
  };
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });

function buttonElements(view: IncidentView): Button[] {
  const value = view.incident_id;
  const confirmText = truncateAtWord(
    view.confirm_text ?? 'Run the proposed action?',
    SLACK_LIMITS.confirmText,
  );
  const rollbackText = truncateAtWord(
    `Restore the state from before ${view.action?.title ?? 'the action'} on ${view.service}?`,
    SLACK_LIMITS.confirmText,
  );
  const build: Record<CardButton, () => Button> = {
    approve: () => ({
      type: 'button',
      action_id: ACTION_IDS.approve,
      text: plain('Approve'),
      style: 'primary',
      value,
      confirm: {
        title: plain('Approve this action?'),
        text: plain(confirmText),
        confirm: plain('Approve'),
        deny: plain('Cancel'),
      },
    }),
    reject: () => ({
      type: 'button',
      action_id: ACTION_IDS.reject,
      text: plain('Reject'),
      style: 'danger',
      value,
    }),
    rollback: () => ({
      type: 'button',
      action_id: ACTION_IDS.rollback,
      text: plain('Rollback'),
      style: 'danger',
      value,
      confirm: {
        title: plain('Roll back?'),
        text: plain(rollbackText),
        confirm: plain('Roll back'),
        deny: plain('Cancel'),
      },
    }),
  };
  return view.buttons.map((b) => build[b]());
}

/** Where a reject modal's submission goes back to: kept in private_metadata (Slack signs the submission). */
export interface RejectModalContext {
  incident_id: string;
  channel: string;
  message_ts?: string;
}

export function rejectModal(ctx: RejectModalContext) {
  return {
    type: 'modal' as const,
    callback_id: REJECT_MODAL_ID,
    private_metadata: JSON.stringify(ctx),
    title: { type: 'plain_text' as const, text: 'Reject action' },
    submit: { type: 'plain_text' as const, text: 'Reject' },
    close: { type: 'plain_text' as const, text: 'Cancel' },
    blocks: [
      {
        type: 'section' as const,
        text: {
          type: 'mrkdwn' as const,
          text: `Reject the proposed action for \`${ctx.incident_id}\`? Nothing will be executed.`,
        },
      },
      {
        type: 'input' as const,
        block_id: REASON_BLOCK,
        optional: true,
        // Slack adds "(optional)" itself to optional inputs.
        label: { type: 'plain_text' as const, text: 'Reason' },
        element: {
          type: 'plain_text_input' as const,
          action_id: REASON_INPUT,
          multiline: true,
          max_length: 1000,
        },
      },
    ],
  };
}

/** A command reply (already escaped by the runner) as an ephemeral message: sections of lines, inside the limits. */
export function replyBlocks(reply: CommandReply): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncateAtWord(`*${reply.title}*`, 3000) } },
  ];
  let chunk = '';
  const flush = () => {
    if (chunk) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
    chunk = '';
  };
  for (const raw of reply.lines) {
    const line = truncateAtWord(raw, SLACK_LIMITS.sectionText);
    if (chunk.length + line.length + 1 > SLACK_LIMITS.sectionText) flush();
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  flush();
  return { text: truncateAtWord(reply.title, 3000), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

/** Long text (an answer, the overflow of a card) as sections, split at line then word boundaries. */
export function textBlocks(text: string, maxBlocks = SLACK_LIMITS.blocks): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let rest = text.trim();
  while (rest && blocks.length < maxBlocks) {
    if (blocks.length === maxBlocks - 1 || rest.length <= SLACK_LIMITS.sectionText) {
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: truncateAtWord(rest, SLACK_LIMITS.sectionText) },
      });
      break;
    }
    const window = rest.slice(0, SLACK_LIMITS.sectionText);
    const nl = window.lastIndexOf('\n');
    const sp = window.lastIndexOf(' ');
    const at =
      nl > SLACK_LIMITS.sectionText / 2
        ? nl
        : sp > SLACK_LIMITS.sectionText / 2
          ? sp
          : SLACK_LIMITS.sectionText;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: rest.slice(0, at) } });
    rest = rest.slice(at).trim();
  }
  return blocks;
}
