import type { CardButton, CardTone, CommandReply, IncidentView } from '../core';
import { formatTime, truncateAtWord } from '../core/text';

/** A JSON value, the shape Adaptive Cards are written in. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** An Adaptive Card 1.5 (the version Teams renders for bot cards). */
export interface AdaptiveCard extends JsonObject {
  type: 'AdaptiveCard';
  version: '1.5';
  body: Json[];
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Universal Action verbs; the data of every button is only `{ incident_id }` (plus the reject reason input). */
export const VERBS = { approve: 'bdp.approve', reject: 'bdp.reject', rollback: 'bdp.rollback' } as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];
export const REASON_INPUT_ID = 'reason';
export const MAX_REASON = 1000;

/** Teams caps a card message at about 28 KB; text blocks are cut well before that. */
export const TEAMS_LIMITS = { textBlock: 4000, cardBytes: 28_000 } as const;

const CONTAINER_STYLE: Record<CardTone, string> = {
  attention: 'warning',
  working: 'accent',
  good: 'good',
  bad: 'attention',
  neutral: 'emphasis',
};

/**
 * Adaptive Card TextBlocks render a small markdown subset (bold, italic, lists, links). Text from logs,
 * the LLM or users must not become a link or formatting: those characters are backslash-escaped.
 */
export function escapeCardMarkdown(text: string): string {
  return text
    .replace(/([\\*_[\]()~`#>|])/g, '\\$1')
    .replace(/^(\s*)([-+]|\d+)(\.?)(\s)/gm, (m, sp: string, mark: string, dot: string, ws: string) =>
      dot ? `${sp}${mark}\\.${ws}` : /^[-+]$/.test(mark) ? `${sp}\\${mark}${ws}` : m,
    );
}

interface TextOptions {
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  isSubtle?: boolean;
  fontType?: 'Monospace';
  color?: 'Attention' | 'Good' | 'Warning' | 'Accent';
  spacing?: 'None' | 'Small' | 'Medium';
  separator?: boolean;
}

/** A wrapped TextBlock cut at a word to the card's limit. `text` must already be escaped. */
export function textBlock(text: string, o: TextOptions = {}): JsonObject {
  const block: JsonObject = {
    type: 'TextBlock',
    text: truncateAtWord(text, TEAMS_LIMITS.textBlock),
    wrap: true,
  };
  for (const [k, v] of Object.entries(o)) if (v !== undefined) block[k] = v;
  return block;
}

/**
 * Verbatim text (parameters JSON, a sparkline) in monospace, one TextBlock per line: a TextBlock folds
 * single newlines, and leading spaces would be trimmed, so indentation becomes no-break spaces.
 * Markdown characters are escaped so a parameter value can never render as a link.
 */
function monospace(text: string): JsonObject {
  const lines = text.split('\n').slice(0, 60);
  return {
    type: 'Container',
    spacing: 'Small',
    items: lines.map((l) =>
      textBlock(escapeCardMarkdown(l).replace(/^ +/, (m) => '\u00a0'.repeat(m.length)) || '\u00a0', {
        fontType: 'Monospace',
        spacing: 'None',
      }),
    ),
  };
}

function executeAction(verb: Verb, title: string, incident_id: string, style?: 'positive' | 'destructive') {
  const data: JsonObject = { incident_id };
  const action: JsonObject = {
    type: 'Action.Execute',
    verb,
    title,
    data,
    // Hosts without Universal Actions send the Submit instead: a message whose value names the verb.
    fallback: { type: 'Action.Submit', title, data: { verb, incident_id } },
  };
  if (style) action.style = style;
  return action;
}

function buttonActions(view: IncidentView): Json[] {
  const e = escapeCardMarkdown;
  const id = view.incident_id;
  const build: Record<CardButton, () => JsonObject> = {
    approve: () => executeAction(VERBS.approve, 'Approve', id, 'positive'),
    reject: () => ({
      type: 'Action.ShowCard',
      title: 'Reject',
      card: {
        type: 'AdaptiveCard',
        body: [
          textBlock(`Reject the proposed action for ${e(id)}? Nothing will be executed.`),
          {
            type: 'Input.Text',
            id: REASON_INPUT_ID,
            label: 'Reason (optional)',
            isMultiline: true,
            maxLength: MAX_REASON,
            placeholder: 'Why not?',
          },
        ],
        actions: [executeAction(VERBS.reject, 'Reject', id, 'destructive')],
      },
    }),
    rollback: () => ({
      type: 'Action.ShowCard',
      title: 'Rollback',
      card: {
        type: 'AdaptiveCard',
        body: [
          textBlock(
            `Restore the state from before ${e(view.action?.title ?? 'the action')} on ${e(view.service)}?`,
          ),
        ],
        actions: [executeAction(VERBS.rollback, 'Roll back', id, 'destructive')],
      },
    }),
  };
  return view.buttons.map((b) => build[b]());
}

const EXECUTED_KINDS = new Set(['executed', 'resolved', 'not_resolved', 'rolled_back']);

/** The incident card as an Adaptive Card 1.5: the same content and variants as the Slack card. */
export function incidentCard(view: IncidentView): AdaptiveCard {
  const e = escapeCardMarkdown;
  const body: Json[] = [];

  const head: Json[] = [
    textBlock(e(view.header), { weight: 'Bolder', size: 'Medium' }),
    textBlock(`**${e(view.status)}**`, { spacing: 'Small' }),
  ];
  if (view.mention_group) head.push(textBlock(`On call: ${e(view.mention_group)}`, { spacing: 'Small' }));
  if (view.approval_deadline)
    head.push(
      textBlock(`Approve or reject by ${formatTime(view.approval_deadline)}; after that it escalates.`, {
        spacing: 'Small',
      }),
    );
  if (view.decision) {
    const d = view.decision;
    const at = d.at ? ` at ${formatTime(d.at)}` : '';
    const why = d.reason ? ` — “${e(d.reason)}”` : '';
    head.push(
      textBlock(`${d.status === 'approved' ? 'Approved' : 'Rejected'} by ${e(d.by)}${at}${why}`, {
        spacing: 'Small',
      }),
    );
  }
  body.push({ type: 'Container', style: CONTAINER_STYLE[view.tone], bleed: true, items: head });

  if (view.signals.length > 0) {
    body.push(textBlock('**Detected**', { separator: true }));
    for (const s of view.signals) {
      body.push(textBlock(`- ${e(s.text)}`, { spacing: 'Small' }));
      if (s.template) body.push(monospace(s.template));
      if (s.trend) body.push(monospace(s.trend));
    }
  }

  body.push(textBlock('**Root cause**', { separator: true }));
  body.push(textBlock(e(view.root_cause), { spacing: 'Small' }));

  if (view.evidence.length > 0) {
    const more = view.all_evidence.length - view.evidence.length;
    body.push(textBlock('**Evidence**'));
    body.push(textBlock(view.evidence.map((c) => `- ${e(c)}`).join('\n'), { spacing: 'Small' }));
    if (more > 0) body.push(textBlock(`+${more} more in the thread`, { isSubtle: true, spacing: 'Small' }));
  }

  const facts: JsonObject[] = [];
  if (view.confidence) facts.push({ title: 'Confidence', value: e(view.confidence.text) });
  if (view.route) facts.push({ title: 'Route', value: view.route });
  if (view.action) facts.push({ title: 'Risk', value: view.action.risk });
  if (facts.length > 0) body.push({ type: 'FactSet', facts, separator: true });
  if (view.confidence) body.push(textBlock(e(view.confidence.explain), { isSubtle: true, size: 'Small' }));

  if (view.action) {
    const a = view.action;
    const label = EXECUTED_KINDS.has(view.kind) ? 'Action taken' : 'Proposed action';
    body.push(textBlock(`**${label}:** ${e(a.title)}`));
    body.push(monospace(a.parameters));
    if (a.rationale) body.push(textBlock(e(a.rationale), { spacing: 'Small' }));
    if (view.buttons.includes('approve') && view.confirm_text)
      body.push(textBlock(`Approve runs: ${e(view.confirm_text)}`, { isSubtle: true, spacing: 'Small' }));
  } else if (view.route === 'escalate') {
    body.push(textBlock('**Proposed action:** none — a person needs to look at this.'));
  }

  if (view.detail) {
    body.push(textBlock('**Details**'));
    body.push(textBlock(e(view.detail), { spacing: 'Small' }));
  }
  if (view.policy_notes.length > 0)
    body.push(textBlock(`Policy: ${e(view.policy_notes.join(' · '))}`, { isSubtle: true, size: 'Small' }));

  const buttons = buttonActions(view);
  if (buttons.length > 0) body.push({ type: 'ActionSet', actions: buttons });

  const by = view.requested_by ? ` · requested by ${e(view.requested_by)}` : '';
  body.push(textBlock(`${e(view.footer)}${by}`, { isSubtle: true, size: 'Small', separator: true }));

  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: '1.5',
    body,
    msteams: { width: 'Full' },
  };
  // Console links are card-level actions; only http(s) URLs (built by the core from config) get here.
  const links = view.links.filter((l) => /^https?:\/\//.test(l.url));
  if (links.length > 0)
    card.actions = links.map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.url }));
  return card;
}

/** Long text (an answer, a list of evidence) as a card: for thread replies. `text` must already be escaped. */
export function textCard(title: string, text: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: '1.5',
    body: [textBlock(`**${title}**`), textBlock(text, { spacing: 'Small' })],
  };
}

/**
 * The core's reply lines use `code` spans and name the Slack command; Teams message markdown renders
 * code spans, and people type the same words to the bot, so `/bdp ` is dropped. Teams reads message
 * text as HTML (a bare `<service>` vanishes as a tag) and shows entities literally inside code spans,
 * so angle brackets become ‹ › for display.
 */
export function commandReplyText(reply: CommandReply): string {
  const teams = (s: string) =>
    s
      .replace(/`\/bdp /g, '`')
      .replace(/</g, '‹')
      .replace(/>/g, '›');
  return [`**${teams(reply.title)}**`, '', ...reply.lines.map((l) => `- ${teams(l)}`)].join('\n');
}

/**
 * Neutralises markdown in text from data (errors, ids, answers) for a Teams message: the characters
 * that make links and emphasis become HTML entities, which Teams shows as the characters themselves,
 * in code spans too (a backslash escape would show up there).
 */
export function escapeMessageMarkdown(text: string): string {
  return text.replace(/[\\*[\]<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
