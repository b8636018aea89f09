/**
 * Compact text of a log summary for the LLM, and the token-budget fitting: over budget, the least
 * important groups (lowest severity, then smallest count, then least recent) are first condensed
 * to one line, then folded into the single "Folded …" line. Nothing is dropped without a mention.
 */
import type { LogSummary, TemplateGroup } from './schema';
import { severityRank } from './severity';
import { countTokens } from './tokens';

const MAX_SAMPLE_CHARS = 300;
const MAX_VALUE_CHARS = 60;
const MAX_FOLDED_IDS = 10;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function span(g: TemplateGroup): string {
  return g.firstSeen === g.lastSeen ? g.firstSeen : `${g.firstSeen} .. ${g.lastSeen}`;
}

function renderGroup(g: TemplateGroup): string {
  if (g.detail === 'condensed') return `${g.id} x${g.count} ${g.template}`;
  const lines = [`${g.id} x${g.count} [${span(g)}] ${g.template}`];
  // A single row's values are all in its sample: no separate variable line.
  const vars = (g.count > 1 ? g.variables : [])
    .filter((v) => v.top.length > 0)
    .map((v) => {
      const top = v.top.map((t) => `${clip(t.value, MAX_VALUE_CHARS)} x${t.count}`).join(', ');
      return `$${v.position} (${v.distinct}${v.distinctCapped ? '+' : ''} distinct): ${top}`;
    });
  if (vars.length > 0) lines.push(`  vars: ${vars.join('; ')}`);
  for (const s of g.samples) {
    const fields = s.fields
      ? ` {${Object.entries(s.fields)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}}`
      : '';
    lines.push(`  e.g. ${s.timestamp} ${clip(s.message, MAX_SAMPLE_CHARS)}${fields}`);
  }
  return lines.join('\n');
}

function allGroups(summary: LogSummary): TemplateGroup[] {
  return summary.services.flatMap((s) => s.severities.flatMap((v) => v.groups));
}

/** The compact text the LLM reads: header, then service → severity → groups, then the folded line. */
export function renderSummary(summary: LogSummary): string {
  const out: string[] = [];
  const window = summary.firstSeen ? `, ${summary.firstSeen} .. ${summary.lastSeen}` : '';
  out.push(
    `Logs: ${plural(summary.totalRows, 'row')}, ${plural(summary.services.length, 'service')}, ${plural(summary.groupCount, 'template')}${window}`,
  );
  for (const svc of summary.services) {
    out.push(`## ${svc.service}: ${plural(svc.count, 'row')}`);
    for (const sev of svc.severities) {
      const shown = sev.groups.filter((g) => g.detail !== 'folded');
      const nFolded = sev.groups.length - shown.length;
      const foldedNote = nFolded > 0 ? ` (${plural(nFolded, 'group')} folded)` : '';
      out.push(`### ${sev.level}: ${plural(sev.count, 'row')}${foldedNote}`);
      for (const g of shown) out.push(renderGroup(g));
    }
  }
  if (summary.folded.line) out.push(summary.folded.line);
  return out.join('\n');
}

/** Least important first: lowest severity, then fewest rows, then least recent, then newest id. */
function importanceOrder(summary: LogSummary): { group: TemplateGroup; rank: number }[] {
  const list = summary.services.flatMap((s) =>
    s.severities.flatMap((v) => v.groups.map((group) => ({ group, rank: severityRank(v.level) }))),
  );
  const recency = (g: TemplateGroup) => {
    const t = Date.parse(g.lastSeen);
    return Number.isNaN(t) ? 0 : t;
  };
  return list.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.group.count - b.group.count ||
      recency(a.group) - recency(b.group) ||
      Number(b.group.id.slice(1)) - Number(a.group.id.slice(1)),
  );
}

function foldedLine(summary: LogSummary): LogSummary['folded'] {
  const folded = summary.services.flatMap((s) =>
    s.severities.flatMap((v) =>
      v.groups.filter((g) => g.detail === 'folded').map((g) => ({ g, level: v.level })),
    ),
  );
  if (folded.length === 0) return { groups: 0, rows: 0, line: '' };
  const rows = folded.reduce((n, f) => n + f.g.count, 0);
  const perLevel = new Map<string, { groups: number; rows: number }>();
  for (const f of folded) {
    const e = perLevel.get(f.level) ?? { groups: 0, rows: 0 };
    e.groups++;
    e.rows += f.g.count;
    perLevel.set(f.level, e);
  }
  const levels = [...perLevel.entries()]
    .sort((a, b) => severityRank(b[0]) - severityRank(a[0]) || (a[0] < b[0] ? -1 : 1))
    .map(([l, e]) => `${l} ${plural(e.groups, 'group')}/${plural(e.rows, 'row')}`)
    .join(', ');
  const byCount = folded
    .map((f) => f.g)
    .sort((a, b) => b.count - a.count || Number(a.id.slice(1)) - Number(b.id.slice(1)));
  const ids = byCount
    .slice(0, MAX_FOLDED_IDS)
    .map((g) => `${g.id} x${g.count}`)
    .join(', ');
  const more = byCount.length > MAX_FOLDED_IDS ? `, +${byCount.length - MAX_FOLDED_IDS} more` : '';
  return {
    groups: folded.length,
    rows,
    line: `Folded to fit ${summary.tokenBudget} tokens: ${plural(folded.length, 'group')}, ${plural(rows, 'row')} (${levels}): ${ids}${more}`,
  };
}

/**
 * Marks groups condensed/folded until the rendered text fits the budget, least important first,
 * and records the folded line and the final token count. Mutates and returns `summary`.
 */
export function fitToBudget(summary: LogSummary): LogSummary {
  const budget = summary.tokenBudget;
  const order = importanceOrder(summary);
  for (const { group } of order) group.detail = 'full';
  const finish = () => {
    summary.folded = foldedLine(summary);
    summary.tokens = countTokens(renderSummary(summary));
    return summary.tokens <= budget;
  };
  if (finish()) return summary;
  // Estimate from per-group costs (tokens of separately rendered blocks add up closely), then
  // confirm with a real count and step on while still over.
  const total = summary.tokens;
  const full = order.map(({ group }) => countTokens(renderGroup(group)) + 1);
  const condensed = order.map(
    ({ group }) => countTokens(`${group.id} x${group.count} ${group.template}`) + 1,
  );
  let estimate = total;
  let k = 0;
  while (k < order.length && estimate > budget) {
    order[k].group.detail = 'condensed';
    estimate -= full[k] - condensed[k];
    k++;
  }
  if (finish()) return summary;
  while (k < order.length && !finish()) {
    order[k].group.detail = 'condensed';
    k++;
  }
  if (summary.tokens <= budget) return summary;
  // Still over with everything condensed: fold, least important first. The folded line grows a
  // little with each group, so estimate with a margin and then confirm.
  estimate = summary.tokens;
  let f = 0;
  while (f < order.length && estimate > budget) {
    order[f].group.detail = 'folded';
    estimate -= condensed[f] - 4;
    f++;
  }
  while (!finish() && f < order.length) {
    order[f].group.detail = 'folded';
    f++;
  }
  // Back off folds the margin made unnecessary (most important of the folded first).
  while (f > 0) {
    order[f - 1].group.detail = 'condensed';
    if (!finish()) {
      order[f - 1].group.detail = 'folded';
      finish();
      break;
    }
    f--;
  }
  return summary;
}

export { allGroups };
