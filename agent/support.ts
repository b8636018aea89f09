import { countableGroups, type LogGroupFact, type ToolRecord } from './evidence';
import type { Runbook } from './knowledge/schema';
import { logSignalMatches } from './knowledge/signals';
import { riseOf } from './tools/logs';

/**
 * How far the tool results support one runbook, from its typed signals only:
 *   logs    — error templates matching its wordings, counted when they carry a meaningful share of the
 *             window's error volume, enough lines, and rise against their own baseline;
 *   metrics — a CloudWatch metrics result shows the declared metric (same namespace) outside its band
 *             in the declared direction;
 *   changes — a change record of the declared kind inside its time window.
 * Log text can never produce a metric or a change. Suspected injection lines never count.
 */

/** A log signal counts from this many lines and this share of the window's error rows. */
export const MIN_LOG_LINES = 10;
export const MIN_LOG_SHARE = 0.2;
/** A template rises when its rate in the window is at least this multiple of its baseline rate. */
export const MIN_RISE = 2;
/** Presence (enough to make a competitor or an escalate_when signal real, never enough to support). */
export const PRESENT_LINES = 3;
export const PRESENT_SHARE = 0.05;
/** A competing runbook is comparable from this fraction of the chosen one's support. */
export const COMPARABLE = 0.6;

export interface LogSupport {
  source: string;
  lines: number;
  share: number;
  rises: boolean;
  counted: boolean;
  present: boolean;
  /** Ids of the runbook's log signals the groups matched, and per group. */
  signals: string[];
  groupSignals: string[][];
  templates: string[];
}

export interface RunbookSupport {
  id: string;
  title: string;
  /** Record ids whose facts support the runbook, per family (counted only). */
  sources: { logs: string[]; metrics: string[]; changes: string[] };
  families: ('logs' | 'metrics' | 'changes')[];
  logs: LogSupport[];
  metrics: string[];
  changes: string[];
  /** escalate_when signals present: why the action would be wrong. */
  escalations: string[];
  contradictions: string[];
  /** Any signal of it present at all (a possible competitor). */
  present: boolean;
  /** Comparable across runbooks: best log share + 0.25 per family of metric/change. */
  score: number;
}

const METRIC_STATUS = { above: 'above_band', below: 'below_band' } as const;

function logSupport(rec: ToolRecord, match: (g: LogGroupFact) => string[]): LogSupport | undefined {
  if (!rec.ok || !rec.logs) return undefined;
  const groups = countableGroups(rec.logs)
    .map((g) => ({ g, ids: match(g) }))
    .filter((x) => x.ids.length > 0);
  if (groups.length === 0) return undefined;
  const lines = groups.reduce((s, x) => s + x.g.count, 0);
  const share = rec.logs.error_rows > 0 ? lines / rec.logs.error_rows : 0;
  const rise = riseOf(
    { count: lines, baseline_count: groups.reduce((s, x) => s + x.g.baseline_count, 0) },
    rec.logs.window_minutes,
    rec.logs.baseline_minutes,
  );
  const rises = rise >= MIN_RISE;
  return {
    source: rec.id,
    lines,
    share,
    rises,
    counted: rises && lines >= MIN_LOG_LINES && share >= MIN_LOG_SHARE,
    present: rises && lines >= PRESENT_LINES && share >= PRESENT_SHARE,
    signals: [...new Set(groups.flatMap((x) => x.ids))],
    groupSignals: groups.map((x) => x.ids),
    templates: groups.map((x) => x.g.template),
  };
}

/**
 * Lines of any level (not injection) that show a wording and rise against their baseline:
 * escalate_when signals are often WARN/LOG lines, and one that was always there is the usual state.
 */
function anyLevelLines(
  records: ToolRecord[],
  test: (text: string) => boolean,
): { lines: number; source?: string } {
  let lines = 0;
  let source: string | undefined;
  for (const r of records) {
    if (!r.ok || !r.logs) continue;
    const { window_minutes, baseline_minutes } = r.logs;
    for (const g of r.logs.groups)
      if (!g.injection && test(g.text) && riseOf(g, window_minutes, baseline_minutes) >= MIN_RISE) {
        lines += g.count;
        source ??= r.id;
      }
  }
  return { lines, source };
}

function changeMatches(
  records: ToolRecord[],
  sig: { kind: string; within_minutes: number; detail: string[] },
  now: Date,
): { source: string; text: string } | undefined {
  for (const r of records) {
    if (!r.ok) continue;
    for (const c of r.changes) {
      if (c.kind !== sig.kind) continue;
      const at = Date.parse(c.at);
      if (Number.isNaN(at) || now.getTime() - at > sig.within_minutes * 60_000 || at > now.getTime() + 60_000)
        continue;
      if (sig.detail.length && !sig.detail.some((d) => c.detail.toLowerCase().includes(d.toLowerCase())))
        continue;
      return { source: r.id, text: `${c.kind} of ${c.resource} at ${c.at}: ${c.detail}` };
    }
  }
  return undefined;
}

/** The support the tool results give one runbook. `now` bounds the change windows. */
export function runbookSupport(records: ToolRecord[], runbook: Runbook, now: Date): RunbookSupport {
  const sources = { logs: [] as string[], metrics: [] as string[], changes: [] as string[] };
  const logs: LogSupport[] = [];
  for (const r of records) {
    const s = logSupport(r, (g) => runbook.logs.filter((l) => logSignalMatches(l, g.text)).map((l) => l.id));
    if (s) logs.push(s);
    if (s?.counted) sources.logs.push(r.id);
  }
  const metrics: string[] = [];
  for (const r of records) {
    if (!r.ok || r.family !== 'metrics') continue;
    for (const m of r.metrics)
      if (
        runbook.metrics.some(
          (sig) =>
            sig.name === m.name && sig.namespace === m.namespace && m.status === METRIC_STATUS[sig.direction],
        )
      ) {
        metrics.push(`${m.note} [${r.id}]`);
        if (!sources.metrics.includes(r.id)) sources.metrics.push(r.id);
      }
  }
  const changes: string[] = [];
  for (const sig of runbook.changes) {
    const hit = changeMatches(records, sig, now);
    if (hit) {
      changes.push(`${hit.text} [${hit.source}]`);
      if (!sources.changes.includes(hit.source)) sources.changes.push(hit.source);
    }
  }

  const escalations: string[] = [];
  for (const e of runbook.escalate_when) {
    const why: string[] = [];
    for (const l of e.logs) {
      const seen = anyLevelLines(records, (t) => logSignalMatches(l, t));
      if (seen.lines >= PRESENT_LINES) why.push(`${seen.lines} log lines show ${l.id} [${seen.source}]`);
    }
    for (const sig of e.metrics)
      for (const r of records)
        for (const m of r.ok && r.family === 'metrics' ? r.metrics : [])
          if (
            sig.name === m.name &&
            sig.namespace === m.namespace &&
            m.status === METRIC_STATUS[sig.direction]
          )
            why.push(`${m.note} [${r.id}]`);
    for (const sig of e.changes) {
      const hit = changeMatches(records, sig, now);
      if (hit) why.push(`${hit.text} [${hit.source}]`);
    }
    if (why.length) escalations.push(`${e.reason} (${why.join('; ')})`);
  }

  const contradictions: string[] = [];
  const supportingGroups = logs.filter((l) => l.present).flatMap((l) => l.groupSignals);
  for (const c of runbook.contradicted_by) {
    const scope = c.only_for_logs;
    // Scoped: applies only when every supporting template shows one of these signals.
    if (
      scope &&
      (supportingGroups.length === 0 || supportingGroups.some((ids) => !ids.some((id) => scope.includes(id))))
    )
      continue;
    const seen = records.flatMap((r) =>
      r.ok && r.family === 'metrics'
        ? r.metrics
            .filter(
              (m) =>
                m.name === c.metric &&
                m.namespace === c.namespace &&
                (!c.dimension || c.dimension in m.dimensions),
            )
            .map((m) => ({ m, id: r.id }))
        : [],
    );
    if (seen.length === 0 || seen.some((x) => x.m.status === 'above_band' || x.m.status === 'below_band'))
      continue;
    const normal = seen.find((x) => x.m.status === 'within_band');
    if (normal) contradictions.push(`${normal.m.note}: ${c.reason} [${normal.id}]`);
  }

  const families = (['logs', 'metrics', 'changes'] as const).filter((f) => sources[f].length > 0);
  const bestShare = Math.max(0, ...logs.filter((l) => l.present).map((l) => l.share));
  const present = bestShare > 0 || metrics.length > 0;
  const score = present
    ? bestShare +
      (metrics.length ? 0.25 : 0) +
      (changes.length && (bestShare > 0 || metrics.length) ? 0.15 : 0)
    : 0;
  return {
    id: runbook.id,
    title: runbook.title,
    sources,
    families: [...families],
    logs,
    metrics,
    changes,
    escalations,
    contradictions,
    present,
    score: Math.round(score * 1000) / 1000,
  };
}

const bestShare = (s: RunbookSupport) => Math.max(0, ...s.logs.filter((l) => l.present).map((l) => l.share));

export interface Differential {
  /** Every candidate with any support, best first. */
  ranked: RunbookSupport[];
  /** Competitors of the chosen runbook with comparable support, each with why it was not chosen. */
  comparable: { support: RunbookSupport; why_not: string }[];
}

/**
 * Scores every candidate runbook side by side. `chosen` is the runbook the answer rests on; a
 * competitor is comparable when its support reaches COMPARABLE of the chosen one's and no metric
 * contradicts it.
 */
export function differential(candidates: RunbookSupport[], chosen: string | undefined): Differential {
  const ranked = candidates
    .filter((c) => c.present)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  const mine = candidates.find((c) => c.id === chosen);
  const base = mine?.score ?? 0;
  const baseShare = mine ? bestShare(mine) : 0;
  const comparable = ranked
    // A competitor its own contradicting metric rules out is not a live alternative. Comparable: its
    // overall support, or its share of the error lines alone, reaches COMPARABLE of the chosen one's.
    .filter(
      (c) =>
        c.id !== chosen &&
        c.score > 0 &&
        c.contradictions.length === 0 &&
        (c.score >= COMPARABLE * base ||
          (bestShare(c) >= MIN_LOG_SHARE && bestShare(c) >= COMPARABLE * baseShare)),
    )
    .map((c) => ({
      support: c,
      why_not: !mine
        ? `its signals are present (support ${c.score}) but the analysis did not find that it explains the incident`
        : c.score > base
          ? `better supported (${c.score} vs ${base}) than the chosen runbook: the choice is doubtful`
          : `comparable support (${c.score} vs ${base}): not ruled out by the evidence`,
    }));
  return { ranked, comparable };
}
