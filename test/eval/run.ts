import { analyzeIncident } from '../../agent';
import { type KnowledgeBase, loadKnowledgeBase } from '../../agent/knowledge';
import { detect } from '../../pipeline/detection';
import { type Config, DEFAULT_SERVICES, loadConfig } from '../../providers/config';
import type { Analysis, Incident, ServiceCatalog } from '../../providers/domain';
import { createLLMClient, type LLMClientOptions } from '../../providers/llm';
import type { LLMClient } from '../../providers/llm/types';
import { loadPolicy } from '../../providers/policy';
import type { Runtime } from '../../providers/runtime';
import { type EvalCase, loadCases, SCENARIOS_DIR } from './case';
import { type Calibration, type CaseScore, calibration, scoreCase } from './score';
import { EVAL_NOW, SharedUnifiedLogs, seedCase } from './seed';

export type EvalProvider = 'mock' | 'vllm' | 'gemini';

export interface EvalOptions {
  provider: EvalProvider;
  /** A tag or case id (substring) to run only some cases. */
  filter?: string;
  /** Run every case this many times (real models vary; the mock does not). */
  repeat?: number;
  /** Environment the config is read from (default process.env); the provider flags are set from `provider`. */
  env?: NodeJS.ProcessEnv;
  scenariosDir?: string;
  /** Test seam: LLM client options (e.g. short backoff). */
  llmOptions?: LLMClientOptions;
  /** Called after each case run (progress output). */
  onResult?: (r: CaseResult) => void;
}

export interface CaseResult extends CaseScore {
  id: string;
  run: number;
  tags: string[];
  incident_id: string;
  status: Analysis['status'];
  root_cause: string;
  runbook_id: string | null;
  action: string;
  parameters: Record<string, unknown>;
  route: Analysis['route'];
  expected_route: string;
  expected_action: string;
  confidence: number;
  llm_calls: number;
  tokens: number;
  /** Wall-clock time of the analysis (seeding excluded). */
  latency_ms: number;
  /** Set when the harness itself failed on the case (counts as wrong). */
  error?: string;
}

export interface EvalSummary {
  provider: EvalProvider;
  model: string;
  cases: number;
  root_cause_correct: number;
  action_correct: number;
  route_correct: number;
  unsafe: number;
  brier: number;
  calibration: Calibration['buckets'];
  llm_calls: number;
  tokens: number;
  /** Total wall-clock analysis time over every case run. */
  latency_ms: number;
  latency_p50_ms: number;
  latency_max_ms: number;
  errors: number;
}

export interface EvalReport {
  cases: CaseResult[];
  summary: EvalSummary;
}

/** The config for a provider: AWS always mocked (the telemetry is seeded), the LLM as asked. */
export function evalConfig(provider: EvalProvider, env: NodeJS.ProcessEnv = process.env): Config {
  const e: NodeJS.ProcessEnv = { ...env, AWS_MOCK: 'true', LLM_MOCK: provider === 'mock' ? 'true' : 'false' };
  if (provider !== 'mock') e.LLM_PROVIDER = provider;
  // Knobs the eval must not inherit from a developer's shell: AWS resources and the route thresholds.
  delete e.SERVICES_FILE;
  delete e.KNOWLEDGE_BASE_BUCKET;
  delete e.AUTO_EXECUTE_THRESHOLD;
  delete e.APPROVAL_THRESHOLD;
  return loadConfig(e);
}

/** The incident for a case: the real detection on demand over the seeded telemetry, or the case's own. */
async function incidentFor(c: EvalCase, rt: Runtime): Promise<Incident> {
  if (c.incident_from === 'detection') {
    const out = await detect(rt, { service: c.service, requested_by: 'eval' });
    const inc = out.incidents[0];
    if (!inc) throw new Error(`detection returned no incident for ${c.service}`);
    return inc;
  }
  const at = rt.now().toISOString();
  const signature = '00000000000000000000000000000000'.slice(0, 16);
  return {
    incident_id: `inc-eval-${c.id}`.slice(0, 68),
    signature,
    service: c.service,
    severity: 'high',
    title: c.incident?.title ?? c.title,
    trigger: 'eval',
    created_at: at,
    anomalies: [
      {
        signature,
        service: c.service,
        source: 'cloudwatch_metric',
        kind: c.incident?.kind ?? 'metric_anomaly',
        severity: 'high',
        detected_at: at,
        summary: (c.incident?.title ?? c.title).slice(0, 500),
      },
    ],
  };
}

const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function summarize(results: CaseResult[], provider: EvalProvider, model: string): EvalSummary {
  const cal = calibration(results.map((r) => ({ confidence: r.confidence, correct: r.correct })));
  const lat = results.map((r) => r.latency_ms);
  return {
    provider,
    model,
    cases: results.length,
    root_cause_correct: results.filter((r) => r.root_cause_correct).length,
    action_correct: results.filter((r) => r.action_correct).length,
    route_correct: results.filter((r) => r.route_correct).length,
    unsafe: results.filter((r) => r.unsafe).length,
    brier: cal.brier,
    calibration: cal.buckets,
    llm_calls: results.reduce((s, r) => s + r.llm_calls, 0),
    tokens: results.reduce((s, r) => s + r.tokens, 0),
    latency_ms: Math.round(lat.reduce((s, x) => s + x, 0)),
    latency_p50_ms: Math.round(median(lat)),
    latency_max_ms: Math.round(Math.max(0, ...lat)),
    errors: results.filter((r) => r.error).length,
  };
}

const describeAction = (c: EvalCase) =>
  c.expected.action === 'none'
    ? 'none'
    : `${c.expected.action.type} ${JSON.stringify(c.expected.action.parameters)}`;

/** Runs the analysis on every selected case and scores it. Never throws for one case's failure. */
export async function runEval(opts: EvalOptions): Promise<EvalReport> {
  const config = evalConfig(opts.provider, opts.env);
  const services: ServiceCatalog = DEFAULT_SERVICES;
  const policy = loadPolicy();
  const cases = loadCases(opts.scenariosDir ?? SCENARIOS_DIR, opts.filter);
  if (cases.length === 0) throw new Error(`no case matches "${opts.filter}"`);
  const llm: LLMClient = createLLMClient(config, opts.llmOptions);
  const kb: KnowledgeBase = await loadKnowledgeBase({ dir: config.KNOWLEDGE_BASE_DIR });
  const shared = new SharedUnifiedLogs(config.UNIFIED_LOG_TABLE);
  const results: CaseResult[] = [];
  try {
    for (let run = 1; run <= Math.max(1, opts.repeat ?? 1); run++) {
      for (const c of cases) {
        const r = await runCase(c, run, { config, services, policy, llm, kb, shared });
        results.push(r);
        opts.onResult?.(r);
      }
    }
  } finally {
    await shared.close();
  }
  return { cases: results, summary: summarize(results, opts.provider, llm.modelName) };
}

async function runCase(
  c: EvalCase,
  run: number,
  env: {
    config: Config;
    services: ServiceCatalog;
    policy: ReturnType<typeof loadPolicy>;
    llm: LLMClient;
    kb: KnowledgeBase;
    shared: SharedUnifiedLogs;
  },
): Promise<CaseResult> {
  const base = {
    id: c.id,
    run,
    tags: c.tags,
    expected_route: Array.isArray(c.expected.route) ? c.expected.route.join('|') : c.expected.route,
    expected_action: describeAction(c),
  };
  const aws = await seedCase(c, { config: env.config, services: env.services, shared: env.shared });
  try {
    const rt: Runtime = {
      config: env.config,
      aws,
      llm: env.llm,
      policy: env.policy,
      services: env.services,
      now: () => EVAL_NOW,
    };
    const incident = await incidentFor(c, rt);
    const started = performance.now();
    const a = await analyzeIncident(rt, { incident, failed_attempts: [] }, { knowledge: env.kb });
    const latency_ms = Math.round(performance.now() - started);
    const score = scoreCase(
      c,
      a,
      env.policy,
      env.services.find((s) => s.name === c.service),
    );
    return {
      ...base,
      ...score,
      incident_id: incident.incident_id,
      status: a.status,
      root_cause: a.root_cause,
      runbook_id: a.runbook_id ?? null,
      action: a.remediation_plan.action,
      parameters: a.remediation_plan.parameters as Record<string, unknown>,
      route: a.route,
      confidence: a.confidence_score,
      llm_calls: a.usage.llm_calls,
      tokens: a.usage.prompt_tokens + a.usage.completion_tokens,
      latency_ms,
    };
  } catch (e) {
    return {
      ...base,
      root_cause_correct: false,
      missing_facts: [],
      blamed: [],
      action_correct: false,
      route_correct: false,
      unsafe: false,
      unsafe_reasons: [],
      correct: false,
      incident_id: '',
      status: 'undetermined',
      root_cause: '',
      runbook_id: null,
      action: 'none',
      parameters: {},
      route: 'escalate',
      confidence: 0,
      llm_calls: 0,
      tokens: 0,
      latency_ms: 0,
      error: `case ${c.id} could not run: ${(e as Error).message}`,
    };
  } finally {
    await aws.close();
  }
}
