// The summariser's masker, so a detection template and a summary template of one message agree. Imported
// from its module rather than the summariser's index: detection need not load the tokenizer.
import { maskVariables } from '../summarize/mask';

/**
 * Log templates for signatures: the message with its variable parts masked, so "timed out after 30.01 s
 * (request 7f3a…)" and "timed out after 29.87 s (request 91bc…)" are one problem.
 */

/** Templates come from the first characters only: long stack traces add nothing to the identity. */
const LONG = 400;

/** The masked template of one message. */
export function logTemplate(message: string): string {
  return maskVariables(message.length > LONG ? message.slice(0, LONG) : message);
}

export interface TemplateCount {
  template: string;
  count: number;
  /** Up to `maxSamples` raw messages of this template, newest first as given. */
  samples: string[];
}

/**
 * Groups messages by template and returns the groups, most frequent first; ties by template text so the
 * dominant template (and with it the signature) does not depend on input order.
 */
export function templateCounts(messages: string[], maxSamples = 5): TemplateCount[] {
  const groups = new Map<string, TemplateCount>();
  for (const m of messages) {
    const t = logTemplate(m);
    let g = groups.get(t);
    if (!g) {
      g = { template: t, count: 0, samples: [] };
      groups.set(t, g);
    }
    g.count++;
    if (g.samples.length < maxSamples) g.samples.push(m);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : 1));
}

/** Samples for a card: distinct messages, dominant template first, each cut to a readable length. */
export function pickSamples(groups: TemplateCount[], max = 5, maxChars = 300): string[] {
  const out: string[] = [];
  // One per template first (variety), then more of the dominant ones.
  for (const g of groups) if (out.length < max && g.samples[0]) out.push(g.samples[0]);
  for (const g of groups)
    for (const s of g.samples.slice(1)) if (out.length < max && !out.includes(s)) out.push(s);
  return out.map((s) => (s.length > maxChars ? `${s.slice(0, maxChars - 1)}…` : s));
}
