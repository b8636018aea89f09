import type { LogEvent } from '../types';

/**
 * The Logs Insights subset the mock runs, commands joined by `|`:
 * - `fields a, b, ...` (the rows' columns; default `@timestamp, @message`);
 * - `filter <field> like /regex/flags` or `like "text"`, `not like`, and `<field> = "text"` / `!=`;
 * - `sort <field> asc|desc` (default: @timestamp desc, like Insights);
 * - `limit N`;
 * - `stats count(*) [as name] [by bin(Nm|Ns|Nh)] | [by <field>]`.
 * Fields: @timestamp, @message, @logStream, @log. Anything else is rejected with an error naming it.
 */
export interface InsightsEvent extends LogEvent {
  log_group: string;
}

type Row = Record<string, string>;

const fieldOf = (e: InsightsEvent, field: string): string => {
  switch (field) {
    case '@timestamp':
      return formatTimestamp(e.timestamp);
    case '@message':
      return e.message;
    case '@logStream':
      return e.log_stream ?? '';
    case '@log':
      return e.log_group;
    default:
      throw new Error(
        `Insights query: unknown field "${field}" (the mock knows @timestamp, @message, @logStream, @log)`,
      );
  }
};

/** Insights prints timestamps as `YYYY-MM-DD HH:mm:ss.SSS` (UTC). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function parseRegex(text: string): RegExp | undefined {
  const m = /^\/(.*)\/([a-z]*)$/.exec(text);
  return m ? new RegExp(m[1]!, m[2]) : undefined;
}

function unquote(text: string): string {
  const m = /^"(.*)"$|^'(.*)'$/.exec(text);
  return m ? (m[1] ?? m[2]!) : text;
}

export function runInsightsQuery(query: string, events: InsightsEvent[], limit?: number): Row[] {
  let rows = [...events].sort((a, b) => b.timestamp - a.timestamp);
  let fields = ['@timestamp', '@message'];
  let stats: ((evs: InsightsEvent[]) => Row[]) | undefined;
  let max = limit ?? 1000;
  let sortSpec: { field: string; desc: boolean } | undefined;

  for (const raw of query
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const cmd = raw.split(/\s+/)[0]!;
    const rest = raw.slice(cmd.length).trim();
    switch (cmd) {
      case 'fields':
        fields = rest
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
        for (const f of fields) fieldOf({ timestamp: 0, message: '', log_group: '' }, f);
        break;
      case 'filter': {
        const m = /^(@\w+)\s+(not\s+like|like|=|!=)\s+(.+)$/.exec(rest);
        if (!m) throw new Error(`Insights query: unsupported filter "${rest}"`);
        const [, field, op, operand] = m;
        const re = parseRegex(operand!.trim());
        const text = unquote(operand!.trim());
        const test = (v: string): boolean => {
          if (op === '=') return v === text;
          if (op === '!=') return v !== text;
          const hit = re ? re.test(v) : v.includes(text);
          return op === 'like' ? hit : !hit;
        };
        rows = rows.filter((e) => test(fieldOf(e, field!)));
        break;
      }
      case 'sort': {
        const m = /^(@\w+)(?:\s+(asc|desc))?$/.exec(rest);
        if (!m) throw new Error(`Insights query: unsupported sort "${rest}"`);
        sortSpec = { field: m[1]!, desc: m[2] !== 'asc' };
        break;
      }
      case 'limit': {
        const n = Number(rest);
        if (!Number.isInteger(n) || n < 1 || n > 10_000)
          throw new Error(`Insights query: limit must be 1..10000, got "${rest}"`);
        max = Math.min(max, n);
        break;
      }
      case 'stats':
        stats = parseStats(rest);
        break;
      default:
        throw new Error(`Insights query: command "${cmd}" is not supported by the mock`);
    }
  }

  if (stats) return stats(rows).slice(0, max);
  if (sortSpec) {
    const { field, desc } = sortSpec;
    const key = (e: InsightsEvent) =>
      field === '@timestamp' ? String(e.timestamp).padStart(16, '0') : fieldOf(e, field);
    rows.sort((a, b) => (desc ? key(b).localeCompare(key(a)) : key(a).localeCompare(key(b))));
  }
  return rows.slice(0, max).map((e) => Object.fromEntries(fields.map((f) => [f, fieldOf(e, f)])));
}

function parseStats(rest: string): (evs: InsightsEvent[]) => Row[] {
  const m = /^count\(\*\)(?:\s+as\s+(\w+))?(?:\s+by\s+(.+))?$/.exec(rest);
  if (!m)
    throw new Error(
      `Insights query: only "stats count(*) [as x] [by bin(5m) | by @field]" is supported, got "${rest}"`,
    );
  const name = m[1] ?? 'count(*)';
  const by = m[2]?.trim();
  if (!by) return (evs) => [{ [name]: String(evs.length) }];
  const bin = /^bin\((\d+)([smh])\)$/.exec(by);
  const groupOf: (e: InsightsEvent) => string = bin
    ? (() => {
        const ms = Number(bin[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[bin[2] as 's' | 'm' | 'h'];
        return (e: InsightsEvent) => formatTimestamp(Math.floor(e.timestamp / ms) * ms);
      })()
    : (e: InsightsEvent) => fieldOf(e, by);
  const column = bin ? `bin(${bin[1]}${bin[2]})` : by;
  return (evs) => {
    const counts = new Map<string, number>();
    for (const e of evs) counts.set(groupOf(e), (counts.get(groupOf(e)) ?? 0) + 1);
    return [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([g, c]) => ({ [column]: g, [name]: String(c) }));
  };
}
