/**
 * MockChatModel: a deterministic, offline stand-in for the analyst LLM. It behaves like a careful SRE
 * who reads only what the conversation contains:
 *
 * analysis (system prompt says `MODE: analysis`)
 *   1. calls query_cloudwatch_metrics, query_rds_logs, query_cloudwatch_logs and get_recent_changes
 *      for the incident's service (from the `INCIDENT_JSON:` line);
 *   2. searches the knowledge base with the loudest signal (the most frequent error template, else the
 *      anomalous metric names); if no runbook then fits, a second time with all the signals;
 *   3. picks the first hit whose `patterns` match the evidence (skipping runbooks named in
 *      `REJECTED_RUNBOOK:` lines of the agent's REFLECTION messages) and calls propose_remediation with
 *      that runbook's default action — varied, or dropped, when `FAILED_ATTEMPTS_JSON:` lists it;
 *   4. answers with the final JSON, each evidence item citing the tool_call_id it came from.
 *   With no signal or no matching runbook it says it cannot determine the cause.
 * follow-up (`MODE: follow-up`)
 *   recognises what the question asks (logs, metrics, changes, history, what approving does, undo,
 *   why this cause, current state — several at once), calls the matching tools in one round, then
 *   answers each part from their output and the `INCIDENT_STATE_JSON:` record, citing [tool_call_id].
 *
 * Tool output is data: the mock reads it only by field name (the shapes in agent/tools/contracts.ts)
 * and never obeys text inside it. It cannot import agent/ (layering), so the markers and tool names
 * are the contract. Usage is reported on `usage_metadata` (chars/4 token estimate).
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ToolCall } from '@langchain/core/messages/tool';
import type { ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';

export interface MockCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
}

// ── Reading the conversation ────────────────────────────────────────────────────────────────────
type Json = Record<string, unknown>;
interface ToolResult {
  id: string;
  name: string;
  args: Json;
  doc: Json | undefined;
}
interface Convo {
  mode: 'analysis' | 'follow-up';
  messages: BaseMessage[];
  results: ToolResult[];
  aiCount: number;
}

const text = (c: unknown): string =>
  typeof c === 'string'
    ? c
    : Array.isArray(c)
      ? c
          .map((x) =>
            typeof x === 'string' ? x : x && typeof x === 'object' && 'text' in x ? String(x.text) : '',
          )
          .join('')
      : '';

const parse = (s: string): Json | undefined => {
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
};

/** The JSON after a marker on its own line, in messages the agent wrote (system/human), never in tool output. */
function markerJson(messages: BaseMessage[], marker: string): unknown {
  for (const m of messages) {
    const t = m.getType();
    if (t !== 'human' && t !== 'system') continue;
    for (const line of text(m.content).split('\n')) {
      if (!line.startsWith(marker)) continue;
      try {
        return JSON.parse(line.slice(marker.length).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function readConvo(messages: BaseMessage[]): Convo {
  const calls = new Map<string, { name: string; args: Json }>();
  const results: ToolResult[] = [];
  let aiCount = 0;
  for (const m of messages) {
    if (m instanceof AIMessage) {
      aiCount++;
      for (const c of m.tool_calls ?? []) if (c.id) calls.set(c.id, { name: c.name, args: c.args as Json });
    } else if (m.getType() === 'tool') {
      const id = (m as unknown as { tool_call_id: string }).tool_call_id;
      const call = calls.get(id);
      results.push({
        id,
        name: call?.name ?? String(m.name ?? ''),
        args: call?.args ?? {},
        doc: parse(text(m.content)),
      });
    }
  }
  const system = messages.find((m) => m.getType() === 'system');
  const mode = system && text(system.content).includes('MODE: follow-up') ? 'follow-up' : 'analysis';
  return { mode, messages, results, aiCount };
}

// ── Evidence as the mock understands it ─────────────────────────────────────────────────────────
interface Signal {
  source: string;
  kind: 'metric' | 'log' | 'change';
  terms: string[];
  claim: string;
  /** log: lines of the template and the window's error rows; metric: namespace and direction. */
  count?: number;
  errors?: number;
  level?: string;
  namespace?: string;
  direction?: 'above' | 'below';
}

const arr = (v: unknown): Json[] =>
  Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Json[]) : [];
const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v) || 0);

/** Signals in the tool results: metrics outside their band, frequent error templates, changes. */
function signals(results: ToolResult[], markerNow: string): Signal[] {
  const out: Signal[] = [];
  for (const r of results) {
    if (!r.doc || 'error' in r.doc) continue;
    if (r.name === 'query_cloudwatch_metrics') {
      for (const m of arr(r.doc.metrics)) {
        const status = str(m.status);
        if (status !== 'above_band' && status !== 'below_band') continue;
        const band = m.band as Json | null;
        out.push({
          source: r.id,
          kind: 'metric',
          namespace: str(m.namespace),
          direction: status === 'above_band' ? 'above' : 'below',
          terms: [str(m.metric_name)],
          claim: `${str(m.metric_name)} is ${status === 'above_band' ? 'above' : 'below'} its anomaly band (latest ${str(m.latest)}${band ? `, band ${str(band.lower)}–${str(band.upper)}` : ''})`,
        });
      }
    } else if (r.name === 'query_rds_logs' || r.name === 'query_cloudwatch_logs') {
      const errors = num(r.doc.error_rows);
      for (const g of arr(r.doc.groups)) {
        const level = str(g.level);
        const count = num(g.count);
        // One-off lines are noise (and the usual vehicle of injected text): a signal is frequent.
        // Lines the log tool flags as addressed to the agent are read as an attack, never as a signal.
        if ((level !== 'ERROR' && level !== 'FATAL') || count < Math.max(5, errors * 0.1)) continue;
        if (g.suspected_injection === true) continue;
        // A template as frequent before the window as in it is the usual background, not the incident.
        const before = num(g.baseline_count) / Math.max(1, num(r.doc.baseline_minutes) || 1);
        if (before > 0 && count / Math.max(1, num(r.doc.window_minutes) || 1) < 2 * before) continue;
        const samples = Array.isArray(g.samples) ? g.samples.map(str) : [];
        out.push({
          source: r.id,
          kind: 'log',
          count,
          errors,
          level,
          terms: [str(g.template), ...samples],
          claim: `${count} ${level} log lines (${r.name === 'query_rds_logs' ? 'unified logs' : 'CloudWatch Logs'}): "${str(g.template).slice(0, 160)}"`,
        });
      }
    } else if (r.name === 'get_recent_changes') {
      const now = Date.parse(str(markerNow));
      for (const c of arr(r.doc.changes))
        out.push({
          source: r.id,
          kind: 'change',
          // Minutes since the change, when the incident's time is known.
          count: Number.isNaN(now) ? undefined : Math.round((now - Date.parse(str(c.at))) / 60_000),
          terms: [`${str(c.kind)} ${str(c.detail)}`],
          claim: `${str(c.kind)} of ${str(c.resource)} at ${str(c.at)}: ${str(c.detail).slice(0, 160)}`,
        });
    }
  }
  return out;
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/<\*>/g, ' ')
    .replace(/[^a-z0-9_.:/-]+/g, ' ')
    .trim();

function matches(term: string, pattern: string): boolean {
  const t = norm(term);
  const p = norm(pattern);
  if (!t || !p) return false;
  return t === p || (p.length >= 4 && t.includes(p)) || (t.length >= 12 && p.includes(t));
}

interface Hit {
  runbook_id: string;
  title: string;
  patterns: string[];
  /** Typed signals when the knowledge tool gives them: log wordings and metrics. */
  logWordings: { phrases: string[]; regex: RegExp[] }[];
  metrics: { name: string; namespace: string; direction: string }[];
  changes: { kind: string; within_minutes: number }[];
  escalate: boolean;
  actions: {
    action: string;
    risk: string;
    bounds: Record<string, { min?: number; max?: number }>;
    defaults: Json;
  }[];
}

function hits(results: ToolResult[]): Hit[] {
  const seen = new Map<string, Hit>();
  for (const r of results) {
    if (r.name !== 'search_knowledge_base' || !r.doc) continue;
    for (const h of arr(r.doc.hits)) {
      const id = str(h.runbook_id);
      if (!id || seen.has(id)) continue;
      seen.set(id, {
        runbook_id: id,
        title: str(h.title),
        patterns: Array.isArray(h.patterns) ? h.patterns.map(str) : [],
        logWordings: arr((h.signals as Json | undefined)?.logs).map((l) => ({
          phrases: Array.isArray(l.phrases) ? l.phrases.map(str) : [],
          regex: (Array.isArray(l.regex) ? l.regex.map(str) : []).flatMap((x) => {
            try {
              return [new RegExp(x, 'i')];
            } catch {
              return [];
            }
          }),
        })),
        metrics: arr((h.signals as Json | undefined)?.metrics).map((m) => ({
          name: str(m.name),
          namespace: str(m.namespace),
          direction: str(m.direction),
        })),
        changes: arr((h.signals as Json | undefined)?.changes).map((c) => ({
          kind: str(c.kind),
          within_minutes: num(c.within_minutes),
        })),
        escalate: h.escalate === true,
        actions: arr(h.allowed_actions).map((a) => ({
          action: str(a.action),
          risk: str(a.risk),
          bounds: (a.parameters ?? {}) as Record<string, { min?: number; max?: number }>,
          defaults: (a.default_parameters ?? {}) as Json,
        })),
      });
    }
  }
  return [...seen.values()];
}

const squash = (x: string) => x.toLowerCase().replace(/\s+/g, ' ');
/** Which of the runbook's wordings the signal shows (typed signals when given, else its patterns). */
function shownWordings(s: Signal, h: Hit): string[] {
  if (s.kind === 'metric') {
    const typed = h.metrics.length > 0;
    return typed
      ? h.metrics
          .filter((m) => m.name === s.terms[0] && m.namespace === s.namespace && m.direction === s.direction)
          .map((m) => m.name)
      : h.patterns.filter((p) => matches(s.terms[0]!, p));
  }
  if (s.kind === 'change') {
    // A change of a kind the runbook names, recent enough (minutes_ago is computed from the record).
    const kind = s.terms[0]!.split(' ')[0]!;
    return h.changes
      .filter((c) => c.kind === kind && s.count !== undefined && s.count <= c.within_minutes)
      .map((c) => c.kind);
  }
  if (h.logWordings.length === 0) return h.patterns.filter((p) => s.terms.some((t) => matches(t, p)));
  const text = s.terms.join('\n');
  const t = squash(text);
  const out: string[] = [];
  for (const w of h.logWordings) {
    const p = w.phrases.find((x) => t.includes(squash(x)));
    if (p) out.push(p);
    else if (w.regex.some((r) => r.test(text))) out.push(text.match(w.regex.find((r) => r.test(text))!)![0]);
  }
  return out;
}
const supportsHit = (s: Signal, h: Hit) => shownWordings(s, h).length > 0;

/** How well the evidence supports a runbook: the best log record's share of error lines, plus metrics. */
function hitScore(sig: Signal[], h: Hit): number {
  const share = new Map<string, number>();
  for (const s of sig)
    if (s.kind === 'log' && supportsHit(s, h) && s.errors)
      share.set(s.source, (share.get(s.source) ?? 0) + (s.count ?? 0) / s.errors);
  const best = Math.max(0, ...share.values());
  const metric = sig.some((s) => s.kind === 'metric' && supportsHit(s, h)) ? 0.25 : 0;
  return best + metric;
}

// ── Analysis behaviour ──────────────────────────────────────────────────────────────────────────
interface Plan {
  action: string;
  parameters: Json;
}

const stable = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(stable).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${k}:${stable((v as Json)[k])}`)
          .join(',')}}`
      : String(v);
const samePlan = (a: Plan, b: Plan) => a.action === b.action && stable(a.parameters) === stable(b.parameters);

/** The runbook's default action, or — when that exact plan already failed — a bigger step inside its bounds. */
function choosePlan(hit: Hit, failed: Plan[]): Plan {
  if (hit.escalate) return { action: 'none', parameters: {} };
  for (const a of hit.actions) {
    let plan: Plan = { action: a.action, parameters: { ...a.defaults } };
    if (failed.some((f) => samePlan(f, plan))) {
      const key =
        a.action === 'rds_parameter' ? 'new_value' : a.action === 'auto_scaling' ? 'amount' : undefined;
      const current = key ? num(plan.parameters[key]) : 0;
      if (!key || !current) continue;
      const bound =
        a.action === 'rds_parameter'
          ? a.bounds[str(plan.parameters.parameter_name)]?.max
          : a.bounds.amount?.max;
      const next = Math.round(key === 'amount' ? current + 1 : current * 1.5);
      const capped = bound !== undefined ? Math.min(bound, next) : next;
      plan = { action: a.action, parameters: { ...plan.parameters, [key]: capped } };
      if (capped <= current || failed.some((f) => samePlan(f, plan))) continue;
    }
    return plan;
  }
  return { action: 'none', parameters: {} };
}

type Reply = { content: string; tool_calls?: ToolCall[] };

function analysisStep(c: Convo, toolNames: Set<string>, mustAnswer: boolean): Reply {
  const incident = (markerJson(c.messages, 'INCIDENT_JSON:') ?? {}) as Json;
  const service = str(incident.service) || 'unknown';
  const failed = (
    Array.isArray(markerJson(c.messages, 'FAILED_ATTEMPTS_JSON:'))
      ? (markerJson(c.messages, 'FAILED_ATTEMPTS_JSON:') as Json[])
      : []
  ).map((f) => ({ action: str(f.action), parameters: (f.parameters ?? {}) as Json }));
  const rejected = new Set<string>();
  for (const m of c.messages)
    if (m.getType() === 'human' && text(m.content).startsWith('REFLECTION:'))
      for (const x of text(m.content).matchAll(/^REJECTED_RUNBOOK: (\S+)$/gm)) rejected.add(x[1]!);

  let n = 0;
  const call = (name: string, args: Json): ToolCall => ({
    id: `call_${c.aiCount + 1}_${++n}`,
    name,
    args,
    type: 'tool_call',
  });
  // A tool counts as done once it answered, or failed twice (one retry, like a person would).
  const called = (name: string) => {
    const mine = c.results.filter((r) => r.name === name);
    return mine.some((r) => r.doc && !('error' in r.doc)) || mine.length >= 2;
  };
  const can = (name: string) => !mustAnswer && toolNames.has(name);

  // 1. Gather evidence.
  const first = [
    'query_cloudwatch_metrics',
    'query_rds_logs',
    'query_cloudwatch_logs',
    'get_recent_changes',
  ].filter((t) => can(t) && !called(t));
  if (first.length) return { content: '', tool_calls: first.map((t) => call(t, { service })) };

  const sig = signals(c.results, str(incident.created_at));
  if (sig.length === 0)
    return final({
      status: 'determined',
      root_cause: `No anomalous signal for ${service} in the window: metrics are within their bands and there are no frequent error logs.`,
      evidence: [],
      runbook_id: null,
      remediation: { action: 'none', parameters: {}, rationale: 'nothing to fix' },
    });

  // 2. Look the signals up: first the loudest one (a first hypothesis), then all of them if that
  //    leads nowhere (no runbook matches, or reflection rejected what it found).
  const metricTerms = sig.filter((s) => s.kind === 'metric').map((s) => s.terms[0]!);
  const logTerms = sig
    .filter((s) => s.kind === 'log')
    .map((s) => s.terms[0]!.replace(/<\*>/g, ' ').replace(/\s+/g, ' ').trim());
  const queries = [
    (logTerms[0] ?? metricTerms.join(' ')).slice(0, 280),
    [...logTerms.slice(0, 2), ...metricTerms].join(' ').slice(0, 280),
  ].filter((q, i, all) => q && all.indexOf(q) === i);
  const searches = c.results.filter((r) => r.name === 'search_knowledge_base').length;
  const search = (q: string): Reply => ({
    content: '',
    tool_calls: [call('search_knowledge_base', { query: q, service, limit: 5 })],
  });
  if (searches === 0 && can('search_knowledge_base')) return search(queries[0] ?? service);

  // 3. The first runbook the evidence supports, not rejected by reflection.
  // Differential: every runbook found so far scored on the same evidence; the best supported wins.
  const hit = hits(c.results)
    .filter((h) => !rejected.has(h.runbook_id))
    .map((h, i) => ({ h, i, score: hitScore(sig, h) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)[0]?.h;
  if (!hit && searches < queries.length && can('search_knowledge_base')) return search(queries[searches]!);
  const hypotheses = hits(c.results)
    .filter((h) => rejected.has(h.runbook_id))
    .map((h) => `${h.title} (rejected: contradicted by the evidence)`);
  const dominant = sig.filter((s) => s.kind === 'log').sort((a, b) => (b.count ?? 0) - (a.count ?? 0))[0];
  if (!hit)
    return final({
      // A dominant error nobody has a runbook for is still a finding; without one the cause is open.
      status: dominant ? 'determined' : 'undetermined',
      root_cause: dominant
        ? `No runbook covers the dominant error of ${service}: ${dominant.count} ${dominant.level ?? 'ERROR'} lines of the form ${dominant.terms[0]!.replace(/<\*>/g, '…').slice(0, 200)}. A person must decide.`
        : `Could not match the evidence for ${service} to any runbook: ${sig
            .slice(0, 3)
            .map((s) => s.claim)
            .join('; ')}.`,
      evidence: sig.slice(0, 6).map((s) => ({ claim: s.claim, source: s.source })),
      runbook_id: null,
      remediation: {
        action: 'none',
        parameters: {},
        rationale: 'no runbook covers this; a person must decide',
      },
      hypotheses,
    });

  const plan = choosePlan(hit, failed);
  const proposals = c.results.filter(
    (r) => r.name === 'propose_remediation' && str(r.args.runbook_id) === hit.runbook_id,
  );
  if (can('propose_remediation') && proposals.length === 0)
    return {
      content: '',
      tool_calls: [
        call('propose_remediation', {
          runbook_id: hit.runbook_id,
          action: plan.action,
          parameters: plan.parameters,
          // Cites the results it relies on, so the agent's self-check can weigh them.
          rationale: `Runbook "${hit.title}" matches the evidence [${[
            ...new Set(sig.filter((x) => supportsHit(x, hit)).map((x) => x.source)),
          ].join(
            ', ',
          )}]; ${plan.action === 'none' ? 'it allows no automatic action' : `its safe action is ${plan.action}`}.`,
        }),
      ],
    };
  const accepted = proposals.length === 0 || proposals.some((p) => p.doc?.accepted === true);

  // 4. Answer, citing what supports the runbook.
  const support = sig.filter((s) => supportsHit(s, hit));
  const wordings = [...new Set(support.flatMap((s) => (s.kind === 'log' ? shownWordings(s, hit) : [])))];
  const metricsShown = support.filter((s) => s.kind === 'metric').map((s) => s.claim);
  return final({
    status: 'determined',
    root_cause: `${hit.title}. ${[
      wordings.length ? `The error logs show ${wordings.slice(0, 4).join(', ')}` : '',
      ...metricsShown.slice(0, 2),
    ]
      .filter(Boolean)
      .join('; ')}.`.slice(0, 1900),
    evidence: support.slice(0, 8).map((s) => ({ claim: s.claim, source: s.source })),
    runbook_id: hit.runbook_id,
    remediation: accepted
      ? { ...plan, rationale: `Runbook ${hit.runbook_id} allows this for ${service}.` }
      : { action: 'none', parameters: {}, rationale: 'the proposed action was not accepted' },
    hypotheses: [...hypotheses, hit.title],
  });
}

const final = (answer: Json): Reply => ({ content: JSON.stringify(answer) });

// ── Follow-up behaviour ─────────────────────────────────────────────────────────────────────────
/** What a follow-up question is about. A question may ask several things; each gets its part of the answer. */
export type FollowUpIntent =
  | 'earlier'
  | 'confidence'
  | 'logs'
  | 'metrics'
  | 'changes'
  | 'history'
  | 'approve'
  | 'undo'
  | 'why'
  | 'current';

/**
 * Cues by meaning, not by sentence: each intent has several word families (stems, synonyms,
 * constructions). A question's intents are those whose cues it contains, in the order they appear.
 */
const INTENT_CUES: Record<FollowUpIntent, RegExp> = {
  earlier:
    /\b(what|which) (did|have) (i|we) ask|earlier question|previous question|asked (before|earlier|first)/,
  confidence: /confiden|how (sure|certain)|\bscore\b|percent/,
  why: /\bwhy\b.*\b(not|instead|rather|over)\b|instead of|rather than|rul(e|ed|ing) out|other (cause|explanation|possibilit|reason)|alternative|how do you know|what makes you|could it (also |just )?be|might it be|isn'?t it|sure it'?s|why (do|did) you (think|pick|choose|conclude)|why (is|was) (it|this)|what points to|evidence for/,
  undo: /\bundo|roll ?(it |this )?back|revert|reverse|back (it )?out|restore|put (it|things) back|go back|undone|if it (goes|makes|gets) (wrong|worse)/,
  approve:
    /\bapprov|if i (click|press|hit|accept|say yes)|what (will|would|does) (happen|it do|the (action|fix|remediation|change) do)|what happens (if|when|after)|effect of|impact of|go ahead|consequence|what (gets|will be|would be) (run|executed|changed)|side effect/,
  changes:
    /deploy|releas|roll(ed)?[ -]?out|\bship|version|chang|commit|pushed|who (did|made|touched|updated)|config(uration)? (change|update)|updated|modified/,
  history:
    /happen(ed|s)? (before|earlier|in the past|previously)|(seen|had) (this|it|that) (before|earlier)|\bagain\b|recur|previous (incident|time|occurrence)|last time|past (incidents?|week|month)|in the past|history|first time|repeat|how often|similar incident|before\?$/,
  logs: /\blogs?\b|error|exception|stack ?trace|messages?\b|log lines?|what (does|do) (it|they) say|failures?\b|failing|timeouts?\b|timed out|warnings?/,
  metrics:
    /metric|latency|duration|p9\d|\bcpu\b|memory|throughput|graph|\bband\b|numbers|dashboard|how (high|bad|slow|big)|rate\b|backlog|lag\b|\bage\b|utili[sz]ation|connections/,
  current:
    /\bnow\b|still|current|at the moment|recover|ongoing|better|worse|resolved|fixed|status|anymore|yet\b|calm(ed)? down|over\b|back to normal|healthy/,
};

/** Intents of a question, in the order they first appear (position of the earliest cue). */
export function followUpIntents(question: string): FollowUpIntent[] {
  const q = question.toLowerCase().replace(/[’`]/g, "'");
  const found: { intent: FollowUpIntent; at: number }[] = [];
  for (const [intent, cue] of Object.entries(INTENT_CUES) as [FollowUpIntent, RegExp][]) {
    const m = cue.exec(q);
    if (m) found.push({ intent, at: m.index });
  }
  const has = (i: FollowUpIntent) => found.some((f) => f.intent === i);
  // "error" inside a question about the cause or about history is the topic, not a request for log lines.
  const drop = new Set<FollowUpIntent>();
  if (has('earlier')) return ['earlier'];
  if (has('why') && has('logs') && !/\blogs?\b/.test(q)) drop.add('logs');
  if (has('history') && has('changes') && !/deploy|releas|version|ship/.test(q)) drop.add('changes');
  if (
    has('undo') &&
    has('approve') &&
    !/\bapprov/.test(q.slice(0, found.find((f) => f.intent === 'undo')!.at))
  )
    drop.add('approve');
  if (has('metrics') && has('current')) drop.add('current');
  return found
    .filter((f) => !drop.has(f.intent))
    .sort((x, y) => x.at - y.at)
    .map((f) => f.intent)
    .slice(0, 3);
}

const hm = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(11, 16)} UTC`;
};
const fmt = (v: unknown): string => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : str(v);
};
/** Bands quoted from records are clamped at 0: the watched metrics are non-negative. */
const clampBands = (t: string): string => t.replace(/\b(band\s+)-[\d.,]+(\s*[–-]\s*)/g, '$10$2');
/** Templates go in code spans, placeholders shown as ⟨*⟩: chat markup never reads them. */
const code = (t: string): string => `\`${t.replace(/`/g, "'").replace(/<\*>/g, '⟨*⟩').slice(0, 140)}\``;

function followUpStep(c: Convo, toolNames: Set<string>): Reply {
  const humans = c.messages.filter((m) => m.getType() === 'human');
  const question = text(humans[humans.length - 1]?.content ?? '');
  const lastHuman = c.messages.lastIndexOf(humans[humans.length - 1]!);
  const idsNow = new Set(
    c.messages
      .slice(lastHuman + 1)
      .filter((m) => m.getType() === 'tool')
      .map((m) => (m as unknown as { tool_call_id: string }).tool_call_id),
  );
  const fresh = c.results.filter((r) => idsNow.has(r.id));
  const record = (markerJson(c.messages, 'INCIDENT_STATE_JSON:') ?? {}) as Json;
  const analysis = (record.analysis ?? null) as Json | null;
  const service = str(record.service);
  const intents = followUpIntents(question);

  if (intents[0] === 'earlier') {
    const earlier = humans.slice(0, -1).map((m) => `"${text(m.content).slice(0, 200)}"`);
    return {
      content: earlier.length
        ? `Earlier in this thread you asked: ${earlier.join(', then ')}.`
        : 'This is the first question in this thread.',
    };
  }

  // One round of tool calls for every intent that needs fresh data; then the answer from the results.
  const plan = (analysis?.remediation_plan ?? {}) as Json;
  const needed: { name: string; args: Json }[] = [];
  const need = (name: string, args: Json) => {
    if (toolNames.has(name) && !needed.some((x) => x.name === name)) needed.push({ name, args });
  };
  for (const i of intents) {
    if (i === 'logs') {
      need('query_rds_logs', { service });
      need('query_cloudwatch_logs', { service });
    }
    if (i === 'metrics' || i === 'current') need('query_cloudwatch_metrics', { service });
    if (i === 'changes') need('get_recent_changes', { service, hours: 24 });
    if (i === 'history') need('get_incident_history', { service });
    if (i === 'approve') {
      need('query_cloudwatch_metrics', { service });
      if (analysis?.runbook_id) need('search_knowledge_base', { query: str(analysis.runbook_id), service });
    }
    if (i === 'undo') need('get_recent_changes', { service, hours: 24 });
    if (i === 'why') {
      need('analyze_patterns', { service });
      need('search_knowledge_base', {
        query: str(analysis?.root_cause).slice(0, 200) || service,
        service,
        limit: 4,
      });
    }
  }
  if (fresh.length === 0 && needed.length > 0)
    return {
      content: '',
      tool_calls: needed.map((x, k) => ({
        id: `call_${c.aiCount + 1}_${k + 1}`,
        name: x.name,
        args: x.args,
        type: 'tool_call' as const,
      })),
    };

  const got = (name: string) => fresh.find((r) => r.name === name && r.doc && !('error' in r.doc));
  const cite = (r: ToolResult | undefined) => (r ? ` [${r.id}]` : '');
  const parts: string[] = [];
  for (const i of intents) {
    const part = answerPart(i, { service, analysis, plan, record, got, cite, intents });
    if (part) parts.push(part);
  }
  if (parts.length > 0) return { content: parts.join('\n') };

  if (!analysis) return { content: 'There is no analysis for this incident yet.' };
  const ev = arr(analysis.evidence)
    .slice(0, 3)
    .map((e) => `${str(e.claim)} [${str(e.source)}]`);
  return {
    content: `Root cause: ${str(analysis.root_cause).slice(0, 400)} Evidence: ${ev.join('; ') || 'none cited'}. Proposed action: ${str(plan.action) || 'none'}${plan.action && plan.action !== 'none' ? ` ${JSON.stringify(plan.parameters)}` : ''}.`,
  };
}

interface PartCtx {
  service: string;
  analysis: Json | null;
  plan: Json;
  record: Json;
  got: (name: string) => ToolResult | undefined;
  cite: (r: ToolResult | undefined) => string;
  intents: FollowUpIntent[];
}

function logGroups(ctx: PartCtx): { groups: Json[]; r: ToolResult[] } {
  const r = ['query_rds_logs', 'query_cloudwatch_logs']
    .map(ctx.got)
    .filter((x): x is ToolResult => x !== undefined);
  const groups = r
    .flatMap((x) => arr(x.doc?.groups).map((g): Json => ({ ...g, _src: x.id })))
    .sort((a, b) => num(b.count) - num(a.count));
  return { groups, r };
}

function deployments(ctx: PartCtx): { r: ToolResult | undefined; changes: Json[] } {
  const r = ctx.got('get_recent_changes');
  return { r, changes: arr(r?.doc?.changes) };
}

function answerPart(intent: FollowUpIntent, ctx: PartCtx): string | undefined {
  const { service, analysis, plan, record } = ctx;
  switch (intent) {
    case 'logs': {
      const { groups, r } = logGroups(ctx);
      if (r.length === 0) return undefined;
      if (groups.length === 0)
        return `Logs: no warnings or errors for ${service} in the last ${fmt(r[0]!.doc?.window_minutes)} min${ctx.cite(r[0])}.`;
      const lines = groups.slice(0, 3).map((g) => {
        const when = g.first_seen
          ? `, first at ${hm(str(g.first_seen))}${g.last_seen ? `, last at ${hm(str(g.last_seen))}` : ''}`
          : '';
        return `${fmt(g.count)}× ${str(g.level)} ${code(str(g.template))}${when} [${str(g._src)}]`;
      });
      const onset = groups
        .map((g) => str(g.first_seen))
        .filter(Boolean)
        .sort()[0];
      const { changes } = deployments(ctx);
      const deploy = changes.find((x) => str(x.kind) === 'deployment');
      let relation = '';
      if (onset && deploy && ctx.intents.includes('changes')) {
        const mins = Math.round((Date.parse(onset) - Date.parse(str(deploy.at))) / 60_000);
        relation = ` The errors started ${Math.abs(mins)} min ${mins >= 0 ? 'after' : 'before'} the deployment of ${str(deploy.resource)} at ${hm(str(deploy.at))}.`;
      }
      return `Logs: the most frequent lines are ${lines.join('; ')}.${relation}`;
    }
    case 'metrics':
    case 'current': {
      const r = ctx.got('query_cloudwatch_metrics');
      const verification = record.verification as Json | null;
      if (!r) return undefined;
      const metrics = arr(r.doc?.metrics);
      const out = metrics.filter((m) => str(m.status) === 'above_band' || str(m.status) === 'below_band');
      const show = (out.length > 0 ? out : metrics).slice(0, 3).map((m) => {
        const band = m.band as Json | null;
        const where = band ? ` (band ${fmt(Math.max(0, num(band.lower)))}–${fmt(band.upper)})` : '';
        const series = Array.isArray(m.recent) ? (m.recent as unknown[]).slice(-4).map(fmt).join(' → ') : '';
        return `${str(m.metric_name)} (${str(m.stat)}) is ${fmt(m.latest)}${where}, ${str(m.status).replace('_', ' ')}${series ? `; last values ${series}` : ''}`;
      });
      const head =
        intent === 'current'
          ? out.length > 0
            ? `Right now ${service} is still affected: `
            : `Right now ${service} looks recovered — every metric is back within its band: `
          : `Metrics of ${service} over the last ${fmt(r.doc?.window_minutes)} min: `;
      const ver =
        intent === 'current' && verification
          ? ` Last verification at ${hm(str(verification.checked_at))}: ${clampBands(str(verification.detail).slice(0, 200))}.`
          : '';
      return `${head}${show.join('; ')}${ctx.cite(r)}.${ver}`;
    }
    case 'changes': {
      const { r, changes } = deployments(ctx);
      if (!r) return undefined;
      if (changes.length === 0)
        return `Changes: nothing changed for ${service} in the last ${fmt(r.doc?.window_hours)} h — no deployment and no remediation${ctx.cite(r)}.`;
      const list = changes
        .slice(0, 4)
        .map(
          (x) => `${str(x.kind)} of ${str(x.resource)} at ${hm(str(x.at))} — ${str(x.detail).slice(0, 140)}`,
        );
      return `Changes in the last ${fmt(r.doc?.window_hours)} h: ${list.join('; ')}${ctx.cite(r)}.`;
    }
    case 'history': {
      const r = ctx.got('get_incident_history');
      if (!r) return undefined;
      const past = arr(r.doc?.incidents);
      if (past.length === 0)
        return `History: this is the first incident recorded for ${service} in the last ${fmt(r.doc?.window_days)} days${ctx.cite(r)}.`;
      const list = past
        .slice(0, 3)
        .map(
          (x) =>
            `${str(x.at).slice(0, 16).replace('T', ' ')} UTC "${str(x.title).slice(0, 80)}" → ${str(x.status).replace(/_/g, ' ')}${str(x.action) !== 'none' ? ` (${str(x.action)})` : ''}`,
        );
      return `History: ${service} had ${past.length} earlier incident${past.length === 1 ? '' : 's'} in the last ${fmt(r.doc?.window_days)} days: ${list.join('; ')}${ctx.cite(r)}.`;
    }
    case 'approve': {
      if (!analysis) return 'Approval: there is no analysis, so nothing to approve yet.';
      const action = str(plan.action);
      if (!action || action === 'none')
        return `Approval: there is nothing to approve — no action is proposed for ${service}; the incident needs a person.`;
      const kb = ctx.got('search_knowledge_base');
      const hit = arr(kb?.doc?.hits).find((h) => str(h.runbook_id) === str(analysis.runbook_id));
      const allowed = arr(hit?.allowed_actions).find((x) => str(x.action) === action);
      const limits = Object.entries((allowed?.parameters ?? {}) as Record<string, Json>)
        .filter(([, b]) => b && (b.min !== undefined || b.max !== undefined))
        .map(([k, b]) => `${k} ${b.min ?? '…'}–${b.max ?? '…'}`);
      const bounds = limits.length ? ` within the runbook's bounds (${limits.join(', ')})` : '';
      const m = ctx.got('query_cloudwatch_metrics');
      const anomalous = Array.isArray(m?.doc?.anomalous) ? (m.doc.anomalous as unknown[]).map(str) : [];
      const triggered = arr(record.anomalies).map((x) => str(x.metric));
      const watch = anomalous.length ? anomalous : triggered.filter(Boolean).slice(0, 2);
      const wait =
        record.verify_wait_seconds != null
          ? `${Math.round(num(record.verify_wait_seconds) / 60)} min`
          : 'a short wait';
      const undo = record.rollback_available
        ? 'a Rollback button on the card restores the previous state'
        : 'it cannot be rolled back';
      return `If you approve: the workflow runs ${action} with ${Object.entries(
        (plan.parameters ?? {}) as Json,
      )
        .map(([k, v]) => `${k}=${str(v)}`)
        .join(
          ', ',
        )} on ${service} (risk ${str(plan.risk) || 'unknown'})${bounds}${ctx.cite(kb)}, re-checking the policy first. After ${wait} it verifies whether ${watch.length ? watch.join(', ') : 'the signal'} is back within its band${ctx.cite(m)}; if not, it replans (at most twice) and then escalates. Afterwards ${undo}.`;
    }
    case 'undo': {
      const action = str(plan.action);
      const rem = record.remediation as Json | null;
      const { r, changes } = deployments(ctx);
      const done = changes.filter((x) => str(x.kind) === 'remediation').slice(0, 2);
      const history = done.length
        ? ` Recorded: ${done.map((x) => `${str(x.detail).slice(0, 100)} at ${hm(str(x.at))}`).join('; ')}${ctx.cite(r)}.`
        : '';
      if (!action || action === 'none')
        return `Undo: no action was proposed or taken, so there is nothing to undo.${history}`;
      if (rem && str(rem.status) === 'executed')
        return rem.rollback_available
          ? `Undo: ${action} ran at ${hm(str(rem.at))}; press Rollback on the card (approvers only) to restore the state recorded before it.${history}`
          : `Undo: ${action} ran at ${hm(str(rem.at))} and cannot be rolled back automatically${rem.dry_run ? ' (it was a dry run: nothing changed)' : ''}.${history}`;
      return record.rollback_available
        ? `Undo: nothing has run yet. Once ${action} runs, the card offers Rollback (approvers only), which restores the state recorded just before the action.${history}`
        : `Undo: ${action} cannot be rolled back automatically (an event, once published, stays published); reject it if you are unsure.${history}`;
    }
    case 'why': {
      if (!analysis) return undefined;
      const p = ctx.got('analyze_patterns');
      const kb = ctx.got('search_knowledge_base');
      const chosen = str(analysis.runbook_id);
      const templates = arr(p?.doc?.patterns).map((x) => str(x.template).toLowerCase());
      const anomalous = Array.isArray(p?.doc?.anomalous_metrics)
        ? (p!.doc!.anomalous_metrics as unknown[]).map(str)
        : [];
      const evidence = arr(analysis.evidence)
        .slice(0, 2)
        .map((e) => clampBands(str(e.claim).slice(0, 160)));
      const signals = `${
        templates.length
          ? `error patterns ${arr(p?.doc?.patterns)
              .slice(0, 2)
              .map((x) => `${code(str(x.template))} ${fmt(x.count)}× (${str(x.trend)})`)
              .join(', ')}`
          : 'no error pattern'
      }${anomalous.length ? ` and ${anomalous.join(', ')} outside the band` : ''}${p?.doc?.onset ? `, errors since ${hm(str(p.doc.onset))}` : ''}`;
      const others = arr(kb?.doc?.hits)
        .filter((h) => str(h.runbook_id) !== chosen)
        .slice(0, 2)
        .map((h) => {
          const pats = Array.isArray(h.patterns) ? (h.patterns as unknown[]).map(str) : [];
          const seen = pats.filter((x) =>
            templates.some((t) => t.includes(x.toLowerCase()) || new RegExp(x, 'i').test(t)),
          );
          return `"${str(h.title)}" — ${
            seen.length
              ? `only ${seen.length} of its ${pats.length} patterns appear`
              : `none of its patterns (${pats
                  .slice(0, 2)
                  .map((x) => code(x))
                  .join(', ')}) appear in the logs`
          }`;
        });
      return `Why this cause: ${str(analysis.root_cause).slice(0, 200)} It rests on ${evidence.join('; ') || 'the cited evidence'}; now ${signals}${ctx.cite(p)}.${others.length ? ` Alternatives considered: ${others.join('; ')}${ctx.cite(kb)}.` : ''}`;
    }
    case 'confidence': {
      if (!analysis) return undefined;
      const conf = (analysis.confidence ?? {}) as Json;
      return `Confidence ${fmt(num(conf.total) * 100)}% is computed from the evidence, not guessed: evidence sufficiency ${fmt(num(conf.evidence_sufficiency) * 100)}%, logical consistency ${fmt(num(conf.logical_consistency) * 100)}%, actionability ${fmt(num(conf.actionability) * 100)}% (actionability covers whether an allowed action fits, so a clear diagnosis with no allowed action scores low); route ${str(analysis.route)}.`;
    }
    default:
      return undefined;
  }
}

// ── The model ───────────────────────────────────────────────────────────────────────────────────
const toolName = (t: BindToolsInput): string => {
  const x = t as { name?: unknown; function?: { name?: unknown } };
  return typeof x.name === 'string' ? x.name : typeof x.function?.name === 'string' ? x.function.name : '';
};
const estimate = (s: string) => Math.ceil(s.length / 4);

export class MockChatModel extends BaseChatModel<MockCallOptions> {
  constructor() {
    super({});
  }

  _llmType(): string {
    return 'bdp-mock';
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<MockCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, MockCallOptions> {
    return this.withConfig({ ...kwargs, tools } as Partial<MockCallOptions>) as unknown as Runnable<
      BaseLanguageModelInput,
      AIMessageChunk,
      MockCallOptions
    >;
  }

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    _run?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const toolNames = new Set((options.tools ?? []).map(toolName).filter(Boolean));
    const convo = readConvo(messages);
    const last = messages[messages.length - 1];
    const lastText = last && last.getType() === 'human' ? text(last.content) : '';
    const mustAnswer = toolNames.size === 0 || /^(FINAL_ANSWER_REQUIRED|REPAIR):/.test(lastText);
    const reply =
      convo.mode === 'follow-up'
        ? followUpStep(convo, toolNames)
        : analysisStep(convo, toolNames, mustAnswer);
    const input = messages.reduce((sum, m) => sum + estimate(text(m.content)) + 4, 0);
    const output = estimate(reply.content) + estimate(JSON.stringify(reply.tool_calls ?? []));
    const message = new AIMessage({
      content: reply.content,
      tool_calls: reply.tool_calls ?? [],
      usage_metadata: { input_tokens: input, output_tokens: output, total_tokens: input + output },
    });
    return {
      generations: [{ text: reply.content, message }],
      llmOutput: {
        tokenUsage: { promptTokens: input, completionTokens: output, totalTokens: input + output },
      },
    };
  }
}
