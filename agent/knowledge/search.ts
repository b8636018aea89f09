import MiniSearch from 'minisearch';
import type { Runbook } from './schema';

/** One search result: the runbook, its score and the query terms that matched it. */
export interface RunbookHit {
  id: string;
  title: string;
  score: number;
  escalate: boolean;
  /** Index terms that matched (after stemming-free normalisation: lower case, camelCase split). */
  matched_terms: string[];
  runbook: Runbook;
}

export interface SearchOptions {
  /** The incident's service name: runbooks naming it rank higher. */
  service?: string;
  /** The service's kind (lambda/ecs/aurora/spark/…): runbooks for that kind rank higher. */
  kind?: string;
  /** At most this many hits (default 5, max 50). */
  limit?: number;
}

// Words that carry no signal in log lines and runbooks; dropping them keeps "after"/"the" from ranking.
const STOP_WORDS = new Set(
  'a an and are as at be been by for from has have in is it its of on or that the this to was were will with after before not no into than then there these those when while which who why how what'.split(
    ' ',
  ),
);

// Letters, digits, and the joiners that keep identifiers whole (ECONNREFUSED, max_connections, 5xx).
const TOKEN = /[\p{L}\p{N}_]+/gu;

function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * Normalises a token: lower case, drops stop words and short numbers (a "30" in a log line is noise,
 * a "429" or "503" is not), and also indexes the parts of CamelCase and snake_case identifiers so that
 * "DatabaseConnections" matches "database connections" and "max_connections" matches "connections".
 */
function processTerm(raw: string): string[] | null {
  const lower = raw.toLowerCase();
  if (STOP_WORDS.has(lower)) return null;
  if (/^\d+$/.test(lower) && lower.length < 3) return null;
  if (lower.length < 2) return null;
  const parts = raw
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .map((p) => p.toLowerCase())
    .filter((p) => p.length > 2 && p !== lower && !STOP_WORDS.has(p));
  return [lower, ...new Set(parts)];
}

interface IndexedRunbook {
  id: string;
  title: string;
  symptoms: string;
  patterns: string;
  body: string;
}

const FIELD_BOOST = { title: 3, symptoms: 2, patterns: 2.5, body: 1 };

/** How much a runbook's service list weighs for the asked service (never 0: no runbook is excluded). */
export function serviceBoost(
  services: readonly string[],
  opts: Pick<SearchOptions, 'service' | 'kind'>,
): number {
  if (!opts.service && !opts.kind) return 1;
  if (opts.service && services.includes(opts.service)) return 2;
  if (opts.kind && services.includes(opts.kind)) return 1.6;
  if (services.includes('*')) return 1;
  // Another component's runbook can still be the answer (a Lambda's logs show the database's error).
  return 0.6;
}

/** A full-text index (MiniSearch) over title, symptoms, patterns and body. */
export class RunbookIndex {
  private readonly search_: MiniSearch<IndexedRunbook>;
  private readonly byId: Map<string, Runbook>;

  constructor(runbooks: readonly Runbook[]) {
    this.byId = new Map(runbooks.map((r) => [r.id, r]));
    this.search_ = new MiniSearch<IndexedRunbook>({
      fields: ['title', 'symptoms', 'patterns', 'body'],
      storeFields: [],
      tokenize,
      processTerm,
    });
    this.search_.addAll(
      runbooks.map((r) => ({
        id: r.id,
        title: r.title,
        symptoms: r.symptoms.join('\n'),
        // Search terms plus every declared wording, so a log line in another version's words still finds it.
        patterns: [...r.patterns, ...r.logs.flatMap((l) => l.phrases), ...r.metrics.map((m) => m.name)].join(
          '\n',
        ),
        body: r.body,
      })),
    );
  }

  search(query: string, opts: SearchOptions = {}): RunbookHit[] {
    const limit = Math.max(1, Math.min(50, Math.floor(opts.limit ?? 5)));
    if (query.trim().length === 0) return [];
    const results = this.search_.search(query, {
      boost: FIELD_BOOST,
      combineWith: 'OR',
      // Typos and inflections ("timeouts", "throttled") without letting short words match everything.
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
      weights: { fuzzy: 0.3, prefix: 0.5 },
      boostDocument: (id) => {
        const r = this.byId.get(String(id));
        return r ? serviceBoost(r.services, opts) : 1;
      },
    });
    return results
      .map((res) => {
        const runbook = this.byId.get(String(res.id))!;
        return {
          id: runbook.id,
          title: runbook.title,
          score: Math.round(res.score * 1e6) / 1e6,
          escalate: runbook.escalate,
          matched_terms: [...res.terms].sort(),
          runbook,
        };
      })
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit);
  }
}
