import { createMockAwsProviders, type MockAwsProviders } from '../../providers/aws';
import { SqlUnifiedLogProvider } from '../../providers/aws/unified-logs/provider';
import { type Config, DEFAULT_SERVICES, loadConfig } from '../../providers/config';
import { type Analysis, type IncidentState, RemediationPlan } from '../../providers/domain';
import { createLLMClient } from '../../providers/llm';
import { loadPolicy } from '../../providers/policy';
import type { Runtime } from '../../providers/runtime';

export const FAULT_NOW = new Date('2026-11-26T09:00:00.000Z');

export interface FaultRuntime extends Runtime {
  aws: MockAwsProviders;
  /** Moves the shared clock forward (approval expiry). */
  advance(ms: number): void;
}

/** A runtime on fresh mock AWS providers (dynalite, in-memory services) and the given env. */
export async function faultRuntime(env: Record<string, string> = {}): Promise<FaultRuntime> {
  const config: Config = loadConfig({
    AWS_MOCK: 'true',
    LLM_MOCK: 'true',
    LLM_MAX_RETRIES: '0',
    SLACK_APPROVERS: 'U0APPROVER',
    ...env,
  });
  // A clock that starts at FAULT_NOW and ticks with real time (distinct timestamps for concurrent work).
  const started = Date.now();
  let offset = 0;
  const now = () => new Date(FAULT_NOW.getTime() + (Date.now() - started) + offset);
  const aws = await createMockAwsProviders({ now, config });
  // No fault here is about the unified logs: an empty SQL stand-in spares each run PGlite's start-up.
  aws.unifiedLogs = new SqlUnifiedLogProvider({ execute: async () => [] }, config.UNIFIED_LOG_TABLE);
  return {
    config,
    aws,
    // Retry notices are expected here; the CLI prints its own table.
    llm: createLLMClient(config, { backoffBaseMs: 5, backoffMaxMs: 20, logger: { warn: () => {} } }),
    policy: loadPolicy(),
    services: DEFAULT_SERVICES,
    now,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** An incident on `service` whose analysis proposes `plan` (for the remediation and approval paths). */
export function stateWithPlan(service: string, plan: unknown, id = 'inc-fault-0001'): IncidentState {
  const p = RemediationPlan.parse(plan);
  const analysis: Analysis = {
    incident_id: id,
    status: 'determined',
    root_cause: 'fault-injection fixture',
    evidence: [],
    confidence: { evidence_sufficiency: 0.9, logical_consistency: 1, actionability: 1, total: 0.9 },
    confidence_score: 0.9,
    remediation_plan: p,
    route: 'approval',
    policy_notes: [],
    hypotheses: [],
    iterations: 1,
    usage: { llm_calls: 1, prompt_tokens: 1, completion_tokens: 1, latency_ms: 0 },
    analyzed_at: FAULT_NOW.toISOString(),
  };
  const sig = '0123456789abcdef';
  return {
    incident: {
      incident_id: id,
      signature: sig,
      service,
      severity: 'high',
      title: `fault injection on ${service}`,
      trigger: 'schedule',
      created_at: FAULT_NOW.toISOString(),
      anomalies: [
        {
          signature: sig,
          service,
          source: 'cloudwatch_metric',
          kind: 'metric_anomaly',
          severity: 'high',
          detected_at: FAULT_NOW.toISOString(),
          summary: `fault injection on ${service}`,
        },
      ],
    },
    analysis,
    failed_attempts: [],
    replan_count: 0,
    execution_id: 'exec-fault-1',
  };
}

export const MAX_CONNECTIONS_PLAN = {
  action: 'rds_parameter',
  parameters: { parameter_name: 'max_connections', new_value: 200, parameter_group: 'orders-db-params' },
  risk: 'low',
  runbook_id: 'db-connection-exhaustion',
};
export const RESTART_PLAN = {
  action: 'lambda_restart',
  parameters: { function_name: 'payments-api' },
  risk: 'low',
  runbook_id: 'lambda-timeout',
};

/** Counts calls (and successful calls) of an object's async method without changing what it does. */
export function countCalls<T extends object, K extends keyof T>(
  obj: T,
  method: K,
): { count: number; ok: number } {
  const counter = { count: 0, ok: 0 };
  const original = obj[method] as unknown as (...a: unknown[]) => Promise<unknown>;
  (obj as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    counter.count++;
    const r = await original.apply(obj, args);
    counter.ok++;
    return r;
  };
  return counter;
}
