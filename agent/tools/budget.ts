/**
 * Token budgets for tool output. A cheap chars/4 estimate (close to cl100k on log text) keeps this
 * module free of the tokenizer's rank tables; budgets are ceilings with margin, not exact counts.
 */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Shrinks the longest string or array in place until the JSON fits; returns the serialised text. */
export function capJson(value: unknown, maxTokens: number): string {
  let text = JSON.stringify(value);
  if (estimateTokens(text) <= maxTokens) return text;
  const doc = JSON.parse(text) as Json;
  let truncated = false;
  for (let guard = 0; guard < 500 && estimateTokens(text) > maxTokens; guard++) {
    const target = largest(doc);
    if (!target) break;
    const { parent, key, node } = target;
    if (Array.isArray(node)) {
      if (node.length === 0) break;
      node.splice(Math.max(1, Math.floor(node.length / 2)));
      if (node.length === 1 && JSON.stringify(node).length > 40) {
        const only = node[0];
        if (typeof only === 'string') node[0] = `${only.slice(0, Math.floor(only.length / 2))}…`;
        else node.splice(0);
      }
    } else if (typeof node === 'string') {
      (parent as Record<string, Json> & Json[])[key as never] =
        `${node.slice(0, Math.floor(node.length / 2))}…` as never;
    }
    truncated = true;
    text = JSON.stringify(doc);
  }
  if (truncated && doc && typeof doc === 'object' && !Array.isArray(doc)) {
    doc.truncated = `output shortened to fit ${maxTokens} tokens`;
    text = JSON.stringify(doc);
  }
  // Still over (many tiny fields): say so rather than hand the model broken JSON.
  return estimateTokens(text) > maxTokens
    ? JSON.stringify({
        truncated: `output of ${estimateTokens(text)} tokens exceeds the ${maxTokens}-token budget`,
      })
    : text;
}

interface Slot {
  parent: Json;
  key: string | number;
  node: Json;
  size: number;
}

/** The biggest string or array anywhere in the document (by serialised size). */
function largest(doc: Json): Slot | undefined {
  let best: Slot | undefined;
  const visit = (parent: Json, key: string | number, node: Json) => {
    if (typeof node === 'string' || Array.isArray(node)) {
      const size = JSON.stringify(node).length;
      if (size > 40 && (!best || size > best.size)) best = { parent, key, node, size };
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(node, i, node[i]!);
    } else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(node, k, v);
  };
  visit(doc, '', doc);
  return best;
}
