import {
  ChangesOutput,
  EVIDENCE_FAMILY,
  KnowledgeOutput,
  LogsOutput,
  MetricsOutput,
  PatternsOutput,
  ProposalOutput,
} from './tools/contracts';

/**
 * What one tool result says, reduced to facts the reflection can check: the signals it shows
 * (anomalous metric names, error templates and samples, changes) and the metrics it shows normal.
 * Built from the tool's JSON by field name; text inside is data and is only ever substring-matched.
 */
export interface ToolRecord {
  id: string;
  tool: string;
  ok: boolean;
  error?: string;
  family?: 'metrics' | 'logs' | 'changes';
  /** Terms that show something abnormal. */
  signals: string[];
  /** Metrics seen within their band: name → a short description for the contradiction note. */
  normal: Record<string, string>;
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
  const rec: ToolRecord = { id, tool, ok: true, family: EVIDENCE_FAMILY[tool], signals: [], normal: {} };
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
      for (const x of m.data.metrics) {
        if (x.status === 'above_band' || x.status === 'below_band') rec.signals.push(x.metric_name);
        else if (x.status === 'within_band')
          rec.normal[x.metric_name] =
            `${x.metric_name} is within its anomaly band (latest ${x.latest}${x.band ? `, band ${x.band.lower}–${x.band.upper}` : ''})`;
      }
      break;
    }
    case 'query_rds_logs':
    case 'query_cloudwatch_logs': {
      const l = LogsOutput.safeParse(doc);
      if (!l.success) break;
      for (const g of l.data.groups)
        if (g.level === 'ERROR' || g.level === 'FATAL') rec.signals.push(g.template, ...g.samples);
      break;
    }
    case 'get_recent_changes': {
      const c = ChangesOutput.safeParse(doc);
      if (!c.success) break;
      for (const ch of c.data.changes) rec.signals.push(`${ch.kind} ${ch.detail}`);
      break;
    }
    case 'analyze_patterns': {
      const p = PatternsOutput.safeParse(doc);
      if (p.success) rec.signals.push(...p.data.anomalous_metrics, ...p.data.patterns.map((x) => x.template));
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

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/<\*>/g, ' ')
    .replace(/[^a-z0-9_.:/-]+/g, ' ')
    .trim();

/** Does a signal term show a runbook pattern? Substring either way on normalised text (short terms must match whole). */
export function termMatchesPattern(term: string, pattern: string): boolean {
  const t = norm(term);
  const p = norm(pattern);
  if (!t || !p) return false;
  if (t === p) return true;
  if (p.length >= 4 && t.includes(p)) return true;
  return t.length >= 12 && p.includes(t);
}

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

export interface RunbookFacts {
  id: string;
  title?: string;
  patterns: string[];
  escalate: boolean;
}

/** A runbook pattern that names a CloudWatch metric (CamelCase, e.g. DatabaseConnections). */
export const isMetricPattern = (p: string): boolean =>
  /^[A-Z][A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*$/.test(p.trim());

/**
 * The record shows this runbook's signals (or, with no runbook, what the claim names). A metric
 * pattern counts only when a metrics result shows that metric abnormal: a log line that merely names
 * the metric ("the real cause is DatabaseConnections") is text, not a measurement.
 */
export function recordSupports(rec: ToolRecord, runbook: RunbookFacts | undefined, claim: string): boolean {
  if (!rec.ok || !rec.family) return false;
  if (runbook) {
    const patterns =
      rec.family === 'metrics' ? runbook.patterns : runbook.patterns.filter((p) => !isMetricPattern(p));
    return rec.signals.some((t) => patterns.some((p) => termMatchesPattern(t, p)));
  }
  return rec.signals.some((t) => claimNamesTerm(claim, t));
}

/**
 * Tool results that contradict a runbook: a metric the runbook names as its signal is within its band
 * and no other result shows it abnormal.
 */
export function contradictions(records: ToolRecord[], runbook: RunbookFacts): string[] {
  const abnormal = new Set(records.filter((r) => r.ok).flatMap((r) => r.signals.map(norm)));
  const out: string[] = [];
  for (const r of records) {
    if (!r.ok) continue;
    for (const [metric, note] of Object.entries(r.normal)) {
      if (abnormal.has(norm(metric))) continue;
      if (runbook.patterns.some((p) => norm(p) === norm(metric)))
        out.push(`${note} although runbook ${runbook.id} expects it abnormal [${r.id}]`);
    }
  }
  return [...new Set(out)];
}
