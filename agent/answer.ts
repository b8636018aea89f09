import * as z from 'zod';
import { ActionType } from '../providers/domain';

/** The model's final answer. Parsed with zod; a malformed one gets one repair attempt. No confidence field: it is computed. */
export const FinalAnswer = z.object({
  status: z.enum(['determined', 'undetermined']).default('determined'),
  root_cause: z.string().min(1).max(2000),
  evidence: z
    .array(z.object({ claim: z.string().min(1).max(500), source: z.string().min(1).max(200) }))
    .max(50)
    .default([]),
  runbook_id: z.string().max(64).nullable().optional(),
  remediation: z
    .object({
      action: z.union([ActionType, z.literal('none')]),
      parameters: z.record(z.string(), z.unknown()).default({}),
      rationale: z.string().max(1000).default(''),
    })
    .nullable()
    .optional(),
  hypotheses: z.array(z.string().max(300)).max(10).default([]),
});
export type FinalAnswer = z.infer<typeof FinalAnswer>;

export type ParsedAnswer = { ok: true; answer: FinalAnswer } | { ok: false; error: string };

/** Finds the JSON object in a reply (bare, or fenced as ```json) and validates it. */
export function parseFinalAnswer(text: string): ParsedAnswer {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = fenced ? fenced[1]! : text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) return { ok: false, error: 'no JSON object found in the answer' };
  let doc: unknown;
  try {
    doc = JSON.parse(body.slice(start, end + 1));
  } catch (e) {
    return { ok: false, error: `the answer is not valid JSON (${(e as Error).message})` };
  }
  const r = FinalAnswer.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, error: `field ${i.path.join('.') || '(root)'}: ${i.message}` };
  }
  return { ok: true, answer: r.data };
}

/** Plain text of a message's content (string or content blocks). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((c) =>
        typeof c === 'string' ? c : c && typeof c === 'object' && 'text' in c ? String(c.text) : '',
      )
      .join('');
  return '';
}
