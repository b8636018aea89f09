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
 *   answers a question from the `INCIDENT_STATE_JSON:` record and the earlier turns; for "what changed"
 *   it calls get_recent_changes first, for "current metrics/logs" the matching query tool, and cites.
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
}

const arr = (v: unknown): Json[] =>
  Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Json[]) : [];
const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v) || 0);

/** Signals in the tool results: metrics outside their band, frequent error templates, changes. */
function signals(results: ToolResult[]): Signal[] {
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
        if ((level !== 'ERROR' && level !== 'FATAL') || count < Math.max(2, errors * 0.1)) continue;
        const samples = Array.isArray(g.samples) ? g.samples.map(str) : [];
        out.push({
          source: r.id,
          kind: 'log',
          terms: [str(g.template), ...samples],
          claim: `${count} ${level} log lines (${r.name === 'query_rds_logs' ? 'unified logs' : 'CloudWatch Logs'}): "${str(g.template).slice(0, 160)}"`,
        });
      }
    } else if (r.name === 'get_recent_changes') {
      for (const c of arr(r.doc.changes))
        out.push({
          source: r.id,
          kind: 'change',
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

const supportsHit = (s: Signal, h: Hit) => s.terms.some((t) => h.patterns.some((p) => matches(t, p)));

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
  // The runbook's order first: the next step not tried yet, before a bigger dose of one that failed.
  for (const a of hit.actions) {
    const plan: Plan = { action: a.action, parameters: { ...a.defaults } };
    if (!failed.some((f) => samePlan(f, plan))) return plan;
  }
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

  const sig = signals(c.results);
  if (sig.length === 0)
    return final({
      status: 'undetermined',
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
  const hit = hits(c.results).find((h) => !rejected.has(h.runbook_id) && sig.some((s) => supportsHit(s, h)));
  if (!hit && searches < queries.length && can('search_knowledge_base')) return search(queries[searches]!);
  const hypotheses = hits(c.results)
    .filter((h) => rejected.has(h.runbook_id))
    .map((h) => `${h.title} (rejected: contradicted by the evidence)`);
  if (!hit)
    return final({
      status: 'undetermined',
      root_cause: `Could not match the evidence for ${service} to any runbook: ${sig
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
          rationale: `Runbook "${hit.title}" matches the evidence; ${plan.action === 'none' ? 'it allows no automatic action' : `its safe action is ${plan.action}`}.`,
        }),
      ],
    };
  const accepted = proposals.length === 0 || proposals.some((p) => p.doc?.accepted === true);

  // 4. Answer, citing what supports the runbook.
  const support = sig.filter((s) => supportsHit(s, hit));
  return final({
    status: 'determined',
    root_cause: `${hit.title}. ${support
      .slice(0, 3)
      .map((s) => s.claim)
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
function followUpStep(c: Convo, toolNames: Set<string>): Reply {
  const humans = c.messages.filter((m) => m.getType() === 'human');
  const question = text(humans[humans.length - 1]?.content ?? '');
  const q = question.toLowerCase();
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

  const wants = (name: string) => toolNames.has(name) && fresh.length === 0;
  let n = 0;
  const call = (name: string, args: Json): Reply => ({
    content: '',
    tool_calls: [{ id: `call_${c.aiCount + 1}_${++n}`, name, args, type: 'tool_call' }],
  });

  if (
    /\b(what|which) (did|have) (i|we) ask|earlier question|previous question|asked (before|earlier|first)/.test(
      q,
    )
  ) {
    const earlier = humans.slice(0, -1).map((m) => `"${text(m.content).slice(0, 200)}"`);
    return {
      content: earlier.length
        ? `Earlier in this thread you asked: ${earlier.join(', then ')}.`
        : 'This is the first question in this thread.',
    };
  }
  if (/chang|deploy|before (this|it) started|recent/.test(q)) {
    if (wants('get_recent_changes')) return call('get_recent_changes', { service, hours: 24 });
    const r = fresh.find((x) => x.name === 'get_recent_changes');
    const changes = arr(r?.doc?.changes);
    if (r && changes.length === 0)
      return {
        content: `Nothing changed for ${service} in the last 24 h: no deployment and no remediation [${r.id}].`,
      };
    if (r)
      return {
        content: `In the last 24 h for ${service}: ${changes
          .slice(0, 5)
          .map((x) => `${str(x.kind)} of ${str(x.resource)} at ${str(x.at)} (${str(x.detail).slice(0, 120)})`)
          .join('; ')} [${r.id}].`,
      };
  }
  if (/metric|still|now|current|recover/.test(q)) {
    if (wants('query_cloudwatch_metrics')) return call('query_cloudwatch_metrics', { service });
    const r = fresh.find((x) => x.name === 'query_cloudwatch_metrics');
    if (r) {
      const anomalous = Array.isArray(r.doc?.anomalous) ? (r.doc.anomalous as unknown[]).map(str) : [];
      return {
        content: anomalous.length
          ? `Right now ${anomalous.join(', ')} ${anomalous.length > 1 ? 'are' : 'is'} still outside the anomaly band for ${service} [${r.id}].`
          : `Right now every metric of ${service} is within its anomaly band [${r.id}].`,
      };
    }
  }
  if (/\blogs?\b|error/.test(q) && !/why|cause/.test(q)) {
    if (wants('query_rds_logs')) return call('query_rds_logs', { service });
    const r = fresh.find((x) => x.name === 'query_rds_logs');
    if (r) {
      const groups = arr(r.doc?.groups).slice(0, 3);
      return {
        content: groups.length
          ? `Most frequent recent log lines for ${service}: ${groups.map((g) => `${str(g.count)}× ${str(g.level)} "${str(g.template).slice(0, 120)}"`).join('; ')} [${r.id}].`
          : `No recent warnings or errors for ${service} [${r.id}].`,
      };
    }
  }
  if (!analysis) return { content: `There is no analysis for this incident yet.` };
  const conf = (analysis.confidence ?? {}) as Json;
  const plan = (analysis.remediation_plan ?? {}) as Json;
  const ev = arr(analysis.evidence)
    .slice(0, 3)
    .map((e) => `${str(e.claim)} [${str(e.source)}]`);
  if (/confiden|sure|score/.test(q))
    return {
      content: `Confidence ${str(conf.total)} is computed, not guessed: evidence sufficiency ${str(conf.evidence_sufficiency)}, logical consistency ${str(conf.logical_consistency)}, actionability ${str(conf.actionability)}; route ${str(analysis.route)}.`,
    };
  return {
    content: `Root cause: ${str(analysis.root_cause).slice(0, 400)} Evidence: ${ev.join('; ') || 'none cited'}. Proposed action: ${str(plan.action) || 'none'}${plan.action && plan.action !== 'none' ? ` ${JSON.stringify(plan.parameters)}` : ''}.`,
  };
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
