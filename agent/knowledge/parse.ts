import { parseDocument } from 'yaml';
import { checkDefaultProposal } from './actions';
import { type Runbook, RunbookFrontMatter } from './schema';

/** A runbook file that cannot be used: names the file and the field. Loading stops on it. */
export class RunbookError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    detail: string,
  ) {
    super(`Invalid runbook ${source}: ${field}: ${detail}`);
    this.name = 'RunbookError';
  }
}

// Front matter is the YAML between a first line "---" and the next line "---" (or "...").
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Parses and validates one runbook file. Throws RunbookError naming `source` and the bad field. */
export function parseRunbook(text: string, source: string): Runbook {
  const m = FRONT_MATTER.exec(text);
  if (!m)
    throw new RunbookError(
      source,
      '(front matter)',
      'the file must start with YAML front matter between "---" lines',
    );
  const doc = parseDocument(m[1]!, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new RunbookError(
      source,
      '(front matter)',
      `YAML error${line ? ` at front-matter line ${line}` : ''}: ${e.message.split('\n')[0]}`,
    );
  }
  const parsed = RunbookFrontMatter.safeParse(doc.toJS());
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new RunbookError(source, i.path.join('.') || '(front matter)', i.message);
  }
  const fm = parsed.data;
  fm.allowed_actions.forEach((a, n) => {
    const bad = checkDefaultProposal(a, 'sample-service');
    if (bad) throw new RunbookError(source, `allowed_actions.${n}.${bad.path}`, bad.message);
  });
  const body = text.slice(m[0].length).trim();
  if (body.length === 0) throw new RunbookError(source, '(body)', 'the runbook has no Markdown body');
  return { ...fm, body, source };
}
