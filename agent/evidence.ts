import { injectionShape } from './injection';
import {
  ChangesOutput,
  EVIDENCE_FAMILY,
  KnowledgeOutput,
  LogsOutput,
  MetricsOutput,
  ProposalOutput,
} from './tools/contracts';
import { isErrorLevel } from './tools/logs';

/** A metric as a CloudWatch metrics result reported it. */
export interface MetricFact {
  name: string;
  namespace: string;
  dimensions: Record<string, string>;
  status: 'above_band' | 'below_band' | 'within_band' | 'no_data';
  note: string;
}

/** A log template group as a logs result reported it: counts are the tool's, never the model's. */
export interface LogGroupFact {
  level: string;
  /** Template and samples: what the signals are matched against. */
  text: string;
  template: string;
  count: number;
  baseline_count: number;
  /** Why it looks addressed to the agent (then it never counts), or undefined. */
  injection?: string;
}

export interface LogsFact {
  window_minutes: number;
  baseline_minutes: number;
  error_rows: number;
  groups: LogGroupFact[];
}

export interface ChangeFact {
  kind: 'deployment' | 'remediation';
  resource: string;
  at: string;
  detail: string;
}

/**
 * What one tool result says, reduced to typed facts the reflection can check. Built from the tool's
 * JSON by field name; text inside is data and is only ever matched against a runbook's wordings.
 */
export interface ToolRecord {
  id: string;
  tool: string;
  ok: boolean;
  error?: string;
  family?: 'metrics' | 'logs' | 'changes';
  metrics: MetricFact[];
  logs?: LogsFact;
  changes: ChangeFact[];
  /** Parsed output, for nodes that need more (KB hits, proposals). */
  knowledge?: KnowledgeOutput;
  proposal?: ProposalOutput;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function toolRecord(id: string, tool: string, content: string): ToolRecord {
  const rec: ToolRecord = { id, tool, ok: true, family: EVIDENCE_FAMILY[tool], metrics: [], changes: [] };
  const doc = parseJson(content);
  if (doc === undefined || (typeof doc === 'object' && doc !== null && 'error' in doc)) {
    rec.ok = false;
    rec.error =
      doc && typeof doc === 'object' && 'error' in doc
        ? String((doc as { error: unknown }).error)
        : content.slice(0, 300);
    return rec;
  }
  switch (tool) {
    case 'query_cloudwatch_metrics': {
      const m = MetricsOutput.safeParse(doc);
      if (!m.success) break;
      for (const x of m.data.metrics)
        rec.metrics.push({
          name: x.metric_name,
          namespace: x.namespace,
          dimensions: x.dimensions,
          status: x.status,
          note: `${x.metric_name} is ${x.status.replace('_', ' ')} (latest ${x.latest}${x.band ? `, band ${x.band.lower}–${x.band.upper}` : ''})`,
        });
      break;
    }
    case 'query_rds_logs':
    case 'query_cloudwatch_logs': {
      const l = LogsOutput.safeParse(doc);
      if (!l.success) break;
      rec.logs = {
        window_minutes: l.data.window_minutes,
        baseline_minutes: l.data.baseline_minutes ?? l.data.window_minutes,
        error_rows: l.data.error_rows,
        groups: l.data.groups.map((g) => {
          const text = [g.template, ...g.samples].join('\n');
          // Re-checked here: the tool's own flag is a hint for the model, never trusted as a clearance.
          return {
            level: g.level,
            text,
            template: g.template,
            count: g.count,
            baseline_count: g.baseline_count ?? 0,
            injection:
              injectionShape(text) ?? (g.suspected_injection ? 'flagged by the log tool' : undefined),
          };
        }),
      };
      break;
    }
    case 'get_recent_changes': {
      const c = ChangesOutput.safeParse(doc);
      if (!c.success) break;
      rec.changes = c.data.changes.map((ch) => ({ ...ch }));
      break;
    }
    case 'search_knowledge_base': {
      const k = KnowledgeOutput.safeParse(doc);
      if (k.success) rec.knowledge = k.data;
      break;
    }
    case 'propose_remediation': {
      const p = ProposalOutput.safeParse(doc);
      if (p.success) rec.proposal = p.data;
      break;
    }
  }
  return rec;
}

/** Error groups of a logs record that may count as evidence (suspected injection never does). */
export const countableGroups = (logs: LogsFact): LogGroupFact[] =>
  logs.groups.filter((g) => isErrorLevel(g.level) && !g.injection);

/** The record's suspected injection lines: (source, excerpt). */
export function suspectedInjection(
  records: ToolRecord[],
): { source: string; excerpt: string; why: string }[] {
  const out: { source: string; excerpt: string; why: string }[] = [];
  for (const r of records)
    for (const g of r.logs?.groups ?? [])
      if (g.injection) out.push({ source: r.id, excerpt: g.template.slice(0, 200), why: g.injection });
  return out;
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/<\*>/g, ' ')
    .replace(/[^a-z0-9_.:/-]+/g, ' ')
    .trim();

/** Without a runbook, a claim is supported when it names the signal: most of the term's words appear in it. */
export function claimNamesTerm(claim: string, term: string): boolean {
  const words = norm(term)
    .split(' ')
    .filter((w) => w.length >= 4);
  if (words.length === 0) return false;
  const c = norm(claim);
  const hit = words.filter((w) => c.includes(w)).length;
  return hit / words.length >= 0.5;
}

/** Abnormal things a record shows, as text, for claims made without a runbook. */
export function abnormalTerms(rec: ToolRecord): string[] {
  const out: string[] = [];
  for (const m of rec.metrics) if (m.status === 'above_band' || m.status === 'below_band') out.push(m.name);
  if (rec.logs) for (const g of countableGroups(rec.logs)) out.push(g.template);
  for (const c of rec.changes) out.push(`${c.kind} ${c.detail}`);
  return out;
}
