import { type BaseMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { parseFinalAnswer, textOf } from '../../agent/answer';
import { buildAnalysis, undeterminedAnalysis } from '../../agent/build-analysis';
import { type ToolRecord, toolRecord } from '../../agent/evidence';
import type { KnowledgeBase } from '../../agent/knowledge';
import { addUsage, callModel, ZERO_USAGE } from '../../agent/llm-call';
import { ANALYSIS_SYSTEM, analysisRequest, FINAL_ANSWER_REQUIRED } from '../../agent/prompts';
import { buildTools, type ToolContext } from '../../agent/tools';
import { MockCloudWatch } from '../../providers/aws/cloudwatch/mock';
import { MockLambda } from '../../providers/aws/lambda/mock';
import { MockCloudWatchLogs } from '../../providers/aws/logs/mock';
import type { AwsProviders, Item, UnifiedLogProvider, UnifiedLogRow } from '../../providers/aws/types';
import type { Config } from '../../providers/config';
import type { Analysis, Incident, ServiceCatalog } from '../../providers/domain';
import type { LLMClient } from '../../providers/llm/types';
import type { RemediationPolicy } from '../../providers/policy';
import type { Runtime } from '../../providers/runtime';
import type { EvalCase } from './case';
import { EVAL_NOW, logEvents, metricData, unifiedLogRows } from './seed';

/**
 * The analysis of one case without engines or graph: the agent's own tools, evidence, confidence and
 * buildAnalysis over in-memory providers holding the case's telemetry — no dynalite, no PGlite, no
 * LangGraph (think → act → answer in a plain loop, without the reflect/replan turn) — so metamorphic
 * tests can run thousands of variants. Only what the analysis tools read is provided.
 */

/** A line a test adds to a case: where it goes, its level, its text. */
export interface ExtraLine {
  to: 'unified' | 'cloudwatch';
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
  message: string;
  /** Minutes before the evaluation instant (default 1). */
  minutes_ago?: number;
}

class MemoryUnifiedLogs implements UnifiedLogProvider {
  constructor(private readonly rows: UnifiedLogRow[]) {}
  async errorCounts(): Promise<never[]> {
    return [];
  }
  async recentLogs(q: { service_name: string; levels: string[]; since: Date; limit: number }) {
    const since = q.since.toISOString();
    return this.rows
      .filter(
        (r) => r.service_name === q.service_name && q.levels.includes(r.log_level) && r.timestamp >= since,
      )
      .sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0))
      .slice(0, q.limit);
  }
  async insert(): Promise<void> {
    throw new Error('read-only in offline analysis');
  }
}

export interface OfflineEnv {
  config: Config;
  services: ServiceCatalog;
  policy: RemediationPolicy;
  llm: LLMClient;
  kb: KnowledgeBase;
}

const MIN = 60_000;

/** A case's incident as an operator would open it (no detection run). */
export function offlineIncident(c: EvalCase): Incident {
  const at = EVAL_NOW.toISOString();
  const signature = '0000000000000000';
  return {
    incident_id: `inc-offline-${c.id}`.slice(0, 68),
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

/** Metrics are the same for every variant of a case: seed them once. */
export function caseMetrics(c: EvalCase, services: ServiceCatalog): MockCloudWatch {
  const cw = new MockCloudWatch(() => EVAL_NOW);
  cw.seed(metricData(c, services));
  return cw;
}

export async function analyzeOffline(
  c: EvalCase,
  env: OfflineEnv,
  extra: ExtraLine[] = [],
  metrics: MockCloudWatch = caseMetrics(c, env.services),
): Promise<Analysis> {
  const now = () => EVAL_NOW;
  const svc = env.services.find((s) => s.name === c.service);
  const rows = unifiedLogRows(c).map((r, i) => ({ ...r, id: String(i) }) as UnifiedLogRow);
  const logs = new MockCloudWatchLogs(now);
  for (const [group, events] of Object.entries(logEvents(c, env.services))) logs.putLogEvents(group, events);
  extra.forEach((x, i) => {
    const t = new Date(EVAL_NOW.getTime() - (x.minutes_ago ?? 1) * MIN + i);
    const group = svc?.log_groups[0]?.name;
    if (x.to === 'cloudwatch' && group)
      logs.putLogEvents(group, [{ message: `${x.level} ${x.message}`, timestamp: t.getTime() }]);
    else
      rows.push({
        id: `x${i}`,
        timestamp: t.toISOString(),
        service_name: c.service,
        log_level: x.level,
        message: x.message,
        metadata: null,
      });
  });
  const lambda = new MockLambda(now);
  const deployed = new Map(c.telemetry.changes.deployments.map((d) => [d.function_name, d.minutes_ago]));
  for (const s of env.services.filter((x) => x.kind === 'lambda'))
    lambda.addFunction(s.name, {
      memory_mb: 512,
      timeout_s: 30,
      last_modified: new Date(
        EVAL_NOW.getTime() - (deployed.get(s.name) ?? 30 * 24 * 60) * MIN,
      ).toISOString(),
    });
  const history: Item[] = c.telemetry.changes.remediations.map((r) => ({
    resource_id: r.resource_id,
    execution_time: new Date(EVAL_NOW.getTime() - r.minutes_ago * MIN).toISOString(),
    action_type: r.action,
    parameters: r.parameters,
    result: r.status,
  }));
  const dynamo = {
    async query(table: string, q: { partition_value: unknown }) {
      return table === 'remediation_history'
        ? history.filter((h) => h.resource_id === q.partition_value)
        : [];
    },
  };
  const aws = {
    cloudwatch: metrics,
    logs,
    unifiedLogs: new MemoryUnifiedLogs(rows),
    lambda,
    dynamo,
    close: async () => {},
  } as unknown as AwsProviders;
  const rt: Runtime = {
    config: env.config,
    aws,
    llm: env.llm,
    policy: env.policy,
    services: env.services,
    now,
  };
  return analysisCore(rt, env.kb, offlineIncident(c));
}

/** think → act until the model answers (bounded), then the same buildAnalysis the graph's finalize uses. */
export async function analysisCore(rt: Runtime, kb: KnowledgeBase, incident: Incident): Promise<Analysis> {
  const ctx: ToolContext = { rt, incident, kb, failedPlans: [] };
  const tools = buildTools(ctx);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const service = rt.services.find((s) => s.name === incident.service);
  const messages: BaseMessage[] = [
    new SystemMessage(ANALYSIS_SYSTEM),
    new HumanMessage(analysisRequest(incident, service, [])),
  ];
  const records: ToolRecord[] = [];
  let usage = ZERO_USAGE;
  for (let turn = 0; turn < rt.config.MAX_ITERATIONS + 1; turn++) {
    const last = turn === rt.config.MAX_ITERATIONS;
    if (last) messages.push(new HumanMessage(FINAL_ANSWER_REQUIRED));
    const { message, usage: u } = await callModel(rt.llm, messages, last ? {} : { tools });
    usage = addUsage(usage, u);
    messages.push(message);
    const calls = message.tool_calls ?? [];
    if (calls.length === 0) {
      const parsed = parseFinalAnswer(textOf(message.content));
      const extra = { usage, iterations: turn, hypotheses: [] };
      return parsed.ok
        ? buildAnalysis(ctx, parsed.answer, records, extra)
        : undeterminedAnalysis(rt, incident, parsed.error, extra);
    }
    for (const call of calls) {
      const t = byName.get(call.name);
      const content = t
        ? String(await t.invoke(call.args))
        : JSON.stringify({ error: `no tool ${call.name}` });
      const id = call.id ?? `call_${turn}_${call.name}`;
      messages.push(new ToolMessage({ content, tool_call_id: id, name: call.name }));
      records.push(toolRecord(id, call.name, content));
    }
  }
  return undeterminedAnalysis(rt, incident, 'no answer within the turn budget', {
    usage,
    iterations: rt.config.MAX_ITERATIONS,
  });
}
