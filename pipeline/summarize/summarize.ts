/**
 * Hierarchical summary of log rows: service → severity → log template. Rows are put in a canonical
 * order (time, then service, level, message) before mining, so the same rows always give the same
 * groups and ids whatever order they arrived in. Each group keeps its count, first/last seen, up to
 * five samples chosen to differ from each other, and a summary of its variable values.
 */
import { WILDCARD } from './mask';
import { TemplateMiner } from './miner';
import { fitToBudget } from './render';
import {
  type LogRecord,
  LogRecordSchema,
  type LogSummary,
  type SampleRow,
  type ServiceNode,
  type SummarizeOptions,
  SummarizeOptionsSchema,
  type TemplateGroup,
  type VariableSummary,
} from './schema';
import { normalizeLevel, severityRank } from './severity';

const CANDIDATE_POOL = 24;
const DISTINCT_CAP = 1000;
const MAX_KEY_FIELDS = 4;
const MAX_FIELD_CHARS = 64;

/** How rows were grouped: one entry per input row, in input order. */
export interface RowGrouping {
  /** Group id per input row (`T1` …), aligned with the input array. */
  ids: string[];
  groups: GroupBuild[];
  /** Input indices in processing (time) order. */
  order: number[];
}

interface GroupBuild {
  id: string;
  service: string;
  level: string;
  miner: TemplateMiner;
  minerIndex: number;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Input indices of sample candidates (distinct messages, first ones) plus the latest row. */
  pool: number[];
  poolMessages: Set<string>;
  last: number;
}

function timeKey(ts: string): number {
  const t = Date.parse(ts);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Canonical processing order: by time, then service, level, message; input order last. */
function canonicalOrder(rows: readonly LogRecord[], inputOrdered: boolean): number[] {
  const order = rows.map((_, i) => i);
  if (inputOrdered) return order;
  const keys = rows.map((r) => timeKey(r.timestamp));
  order.sort((x, y) => {
    const a = rows[x];
    const b = rows[y];
    return (
      keys[x] - keys[y] ||
      cmp(a.timestamp, b.timestamp) ||
      cmp(a.service, b.service) ||
      cmp(normalizeLevel(a.level), normalizeLevel(b.level)) ||
      cmp(a.message, b.message) ||
      x - y
    );
  });
  // Infinity − Infinity is NaN: rows without a parseable time fall back to the string comparisons.
  return order;
}

/** Groups rows by service, severity and template. Exposed for the CLI's `--groups`. */
export function groupRows(rows: readonly LogRecord[], inputOrdered = false): RowGrouping {
  const miners = new Map<string, TemplateMiner>();
  const byKey = new Map<string, GroupBuild>();
  const groups: GroupBuild[] = [];
  const ids = new Array<string>(rows.length);
  const order = canonicalOrder(rows, inputOrdered);
  for (const i of order) {
    const row = rows[i];
    const level = normalizeLevel(row.level);
    const scope = `${row.service}\u0000${level}`;
    let miner = miners.get(scope);
    if (!miner) {
      miner = new TemplateMiner();
      miners.set(scope, miner);
    }
    const minerIndex = miner.addIndex(row.message);
    const key = `${scope}\u0000${minerIndex}`;
    let g = byKey.get(key);
    if (!g) {
      g = {
        id: `T${groups.length + 1}`,
        service: row.service,
        level,
        miner,
        minerIndex,
        count: 0,
        firstSeen: row.timestamp,
        lastSeen: row.timestamp,
        pool: [],
        poolMessages: new Set(),
        last: i,
      };
      byKey.set(key, g);
      groups.push(g);
    }
    g.count++;
    g.lastSeen = row.timestamp;
    g.last = i;
    if (g.pool.length < CANDIDATE_POOL && !g.poolMessages.has(row.message)) {
      g.pool.push(i);
      g.poolMessages.add(row.message);
    }
    ids[i] = g.id;
  }
  return mergeResolved(rows, ids, groups, order);
}

/**
 * Groups whose miner group was later merged into another (a word position proved variable) join
 * the surviving group; ids are then renumbered in first-seen order so they stay dense.
 */
function mergeResolved(
  rows: readonly LogRecord[],
  ids: string[],
  groups: GroupBuild[],
  order: number[],
): RowGrouping {
  const rank = new Map<number, number>();
  order.forEach((row, k) => {
    rank.set(row, k);
  });
  const byMiner = new Map<TemplateMiner, Map<number, GroupBuild>>();
  for (const g of groups) {
    let m = byMiner.get(g.miner);
    if (!m) {
      m = new Map();
      byMiner.set(g.miner, m);
    }
    m.set(g.minerIndex, g);
  }
  const into = new Map<string, GroupBuild>();
  const kept: GroupBuild[] = [];
  for (const g of groups) {
    const root = byMiner.get(g.miner)?.get(g.miner.resolve(g.minerIndex));
    if (!root || root === g) {
      kept.push(g);
      continue;
    }
    into.set(g.id, root);
    root.count += g.count;
    if ((rank.get(g.last) ?? 0) > (rank.get(root.last) ?? 0)) {
      root.last = g.last;
      root.lastSeen = g.lastSeen;
    }
    for (const i of g.pool) {
      if (root.pool.length >= CANDIDATE_POOL) break;
      if (!root.poolMessages.has(rows[i].message)) {
        root.pool.push(i);
        root.poolMessages.add(rows[i].message);
      }
    }
  }
  if (into.size === 0) return { ids, groups, order };
  // The survivor is the oldest group of its family, so first-seen order is kept as it was.
  const rename = new Map<string, string>();
  kept.forEach((g, k) => {
    rename.set(g.id, `T${k + 1}`);
  });
  for (const [from, root] of into) rename.set(from, rename.get(root.id) ?? root.id);
  for (let i = 0; i < ids.length; i++) ids[i] = rename.get(ids[i]) ?? ids[i];
  for (const g of kept) g.id = rename.get(g.id) ?? g.id;
  return { ids, groups: kept, order };
}

function splitWords(s: string): string[] {
  const t = s.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Token-level Hamming distance (length difference counts as differing positions). */
function distance(a: string[], b: string[]): number {
  const n = Math.max(a.length, b.length);
  let d = 0;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) d++;
  return d;
}

/** Greedy farthest-first choice: the first row, then each time the candidate least like those chosen. */
function chooseSamples(candidates: number[], rows: readonly LogRecord[], max: number): number[] {
  if (max === 0 || candidates.length === 0) return [];
  const words = candidates.map((i) => splitWords(rows[i].message));
  const chosen = [0];
  const minDist = words.map((w) => distance(w, words[0]));
  while (chosen.length < max) {
    let best = -1;
    for (let c = 0; c < candidates.length; c++) {
      if (minDist[c] > 0 && (best < 0 || minDist[c] > minDist[best])) best = c;
    }
    if (best < 0) break;
    chosen.push(best);
    for (let c = 0; c < candidates.length; c++)
      minDist[c] = Math.min(minDist[c], distance(words[c], words[best]));
  }
  return chosen.sort((a, b) => a - b).map((c) => candidates[c]);
}

function keyFields(fields: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!fields) return undefined;
  const out: Record<string, string> = {};
  let n = 0;
  for (const k of Object.keys(fields).sort()) {
    const v = fields[k];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const s = String(v);
    if (s.length === 0 || s.length > MAX_FIELD_CHARS) continue;
    out[k] = s;
    if (++n >= MAX_KEY_FIELDS) break;
  }
  return n > 0 ? out : undefined;
}

function toSample(row: LogRecord): SampleRow {
  const fields = keyFields(row.fields);
  return fields
    ? { timestamp: row.timestamp, message: row.message, fields }
    : { timestamp: row.timestamp, message: row.message };
}

/** The part of a raw token under the `<*>` of its template token (`rhost=<*>` → the host). */
function variablePart(templateToken: string, raw: string): string {
  const at = templateToken.indexOf(WILDCARD);
  const prefix = templateToken.slice(0, at);
  const suffix = templateToken.slice(at + WILDCARD.length);
  if (suffix.includes(WILDCARD)) return raw;
  if (raw.length >= prefix.length + suffix.length && raw.startsWith(prefix) && raw.endsWith(suffix)) {
    return raw.slice(prefix.length, raw.length - suffix.length);
  }
  return raw;
}

/** Per variable position: distinct values and the most frequent ones. */
function summarizeVariables(
  template: string,
  members: readonly number[],
  rows: readonly LogRecord[],
  topValues: number,
): VariableSummary[] {
  const tt = template === '' ? [] : template.split(' ');
  const positions: number[] = [];
  tt.forEach((t, p) => {
    if (t.includes(WILDCARD)) positions.push(p);
  });
  if (positions.length === 0) return [];
  const counts = positions.map(() => new Map<string, number>());
  const capped = positions.map(() => false);
  for (const i of members) {
    const words = splitWords(rows[i].message);
    if (words.length !== tt.length) continue;
    positions.forEach((p, k) => {
      const m = counts[k];
      const v = variablePart(tt[p], words[p]);
      const c = m.get(v);
      if (c !== undefined) m.set(v, c + 1);
      else if (m.size < DISTINCT_CAP) m.set(v, 1);
      else capped[k] = true;
    });
  }
  return positions.map((_, k) => {
    const top = [...counts[k].entries()]
      .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
      .slice(0, topValues)
      .map(([value, count]) => ({ value, count }));
    return { position: k + 1, distinct: counts[k].size, distinctCapped: capped[k], top };
  });
}

/** Options beyond the public ones, for callers that already hold rows in time order (the CLI). */
export interface SummarizeInternals {
  /** Rows are already in time order: skip the canonical sort (raw log files). */
  inputOrdered?: boolean;
}

/**
 * Summarises log rows into service → severity → template groups that fit `tokenBudget` cl100k
 * tokens when rendered. Over budget, the least important groups (by severity, then count, then
 * recency) are first condensed to one line, then folded into a single line that says what was folded.
 */
export function summarizeLogs(
  rows: readonly LogRecord[],
  opts: SummarizeOptions,
  internals: SummarizeInternals = {},
): LogSummary {
  const options = SummarizeOptionsSchema.parse(opts);
  rows.forEach((r, i) => {
    const res = LogRecordSchema.safeParse(r);
    if (!res.success) {
      throw new Error(
        `summarizeLogs: row ${i} is not a log record: ${res.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
  });
  const { ids, groups, order } = groupRows(rows, internals.inputOrdered ?? false);
  const members = new Map<string, number[]>();
  ids.forEach((id, i) => {
    const list = members.get(id);
    if (list) list.push(i);
    else members.set(id, [i]);
  });

  const services = new Map<string, ServiceNode>();
  for (const g of groups) {
    const template = g.miner.template(g.minerIndex);
    const pool = g.pool.includes(g.last) ? g.pool : [...g.pool, g.last];
    const group: TemplateGroup = {
      id: g.id,
      template,
      count: g.count,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      samples: chooseSamples(pool, rows, options.maxSamples).map((i) => toSample(rows[i])),
      variables: summarizeVariables(template, members.get(g.id) ?? [], rows, options.topValues),
      detail: 'full',
    };
    let svc = services.get(g.service);
    if (!svc) {
      svc = { service: g.service, count: 0, severities: [] };
      services.set(g.service, svc);
    }
    svc.count += g.count;
    let sev = svc.severities.find((s) => s.level === g.level);
    if (!sev) {
      sev = { level: g.level, count: 0, groups: [] };
      svc.severities.push(sev);
    }
    sev.count += g.count;
    sev.groups.push(group);
  }
  const serviceList = [...services.values()].sort((a, b) => cmp(a.service, b.service));
  for (const s of serviceList) {
    s.severities.sort((a, b) => severityRank(b.level) - severityRank(a.level) || cmp(a.level, b.level));
    for (const sev of s.severities) sev.groups.sort((a, b) => b.count - a.count || idNum(a.id) - idNum(b.id));
  }
  const first = order.length > 0 ? rows[order[0]].timestamp : undefined;
  const last = order.length > 0 ? rows[order[order.length - 1]].timestamp : undefined;
  const summary: LogSummary = {
    totalRows: rows.length,
    groupCount: groups.length,
    firstSeen: first,
    lastSeen: last,
    services: serviceList,
    folded: { groups: 0, rows: 0, line: '' },
    tokenBudget: options.tokenBudget,
    tokens: 0,
  };
  return fitToBudget(summary);
}

export function idNum(id: string): number {
  return Number(id.slice(1));
}
