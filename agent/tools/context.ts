import type { Incident, RemediationPlan, ServiceDefinition } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import type { KnowledgeBase } from '../knowledge';

/** What every tool reads through: the runtime's providers, the incident, the knowledge base. */
export interface ToolContext {
  rt: Runtime;
  /** The incident under analysis (its service is the default target of every tool). */
  incident: Pick<Incident, 'incident_id' | 'service'>;
  kb: KnowledgeBase;
  /** Plans already tried without fixing the signal: proposing one again unchanged is refused. */
  failedPlans: RemediationPlan[];
}

/** Per-tool output ceilings (estimated tokens). The sum stays well inside a 32k context. */
export const TOOL_TOKEN_BUDGET = {
  query_cloudwatch_metrics: 1200,
  query_rds_logs: 1500,
  query_cloudwatch_logs: 1500,
  search_knowledge_base: 3000,
  analyze_patterns: 900,
  get_recent_changes: 700,
  get_incident_history: 700,
  propose_remediation: 500,
} as const;

export function findService(ctx: ToolContext, name: string): ServiceDefinition {
  const s = ctx.rt.services.find((x) => x.name === name);
  if (!s) {
    const known = ctx.rt.services.map((x) => x.name).join(', ');
    throw new Error(`unknown service "${name}" (known: ${known})`);
  }
  return s;
}

/** Two plans are the same attempt when action and parameters match (rationale and risk do not count). */
export function samePlan(a: RemediationPlan, b: RemediationPlan): boolean {
  return a.action === b.action && stableJson(a.parameters) === stableJson(b.parameters);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(typeof v === 'number' || typeof v === 'string' ? String(v) : v);
}

/** Runs a tool body; any failure becomes `{"error": …}` output naming the tool, never an exception. */
export async function guarded(tool: string, body: () => Promise<string>): Promise<string> {
  try {
    return await body();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return JSON.stringify({ error: `${tool} failed: ${msg.slice(0, 500)}` });
  }
}
