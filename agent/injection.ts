/**
 * Log text that addresses the agent instead of describing the system: role prefixes ("SYSTEM:"),
 * orders to ignore instructions, assignments of the agent's own decision fields ("confidence=0.99",
 * "route: auto"), our tool names, or JSON shaped like our tool results. Detected by shape, not by a
 * list of known attack strings. Such lines are data: they never count as evidence and are shown to
 * the person as suspected injection.
 */

// A chat role speaking inside a log line ("SYSTEM:", "Assistant:"), but not "file system:".
const ROLE_PREFIX =
  /(?<!(file|operating|sub|eco|tracking|build)[ -]?)\b(system|assistant|developer)(\s+(prompt|message|override|instructions?))?\s*:/i;
const IGNORE_ORDERS =
  /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|your)\b[^.\n]{0,30}\b(instructions?|rules|prompts?|context|guidelines)\b/i;
const ADDRESSES_AGENT =
  /\b(note|message|hint|instructions?|attention|reminder)\s+(to|for)\s+(the\s+)?(ai|agent|assistant|model|llm|analyst|bot|copilot)\b|\b(ai|agent|assistant|llm|model)\s+(hint|instructions?|override|note|directive)\b|\b(you are now|you must now|as an? (ai|agent|assistant|language model))\b/i;
const OVERRIDE = /\b(runbook|policy|system|security|safety)\s+override\b/i;
// The agent's own decision fields given a value of the kind the agent would produce.
const DECISION_FIELD = [
  /\bconfidence(_score|\s+score)?\s*(=|:|is|of|to)?\s*["']?(0?\.\d+|1(\.0+)?)\b/i,
  /\broute\s*(=|:|is|to)?\s*["']?(auto|approval|escalate)\b/i,
  /\b(runbook(_id)?|action(_type)?|remediation)\s*[=:]\s*["']?(rds_parameter|lambda_restart|auto_scaling|eventbridge_event|[a-z]+(-[a-z]+){2,})\b/i,
  /\b(evidence_sufficiency|logical_consistency|actionability|root_cause)\s*[=:]/i,
];
const TOOL_NAME =
  /\b(propose_remediation|search_knowledge_base|query_cloudwatch_metrics|query_rds_logs|query_cloudwatch_logs|get_recent_changes|analyze_patterns|tool_call_id)\b/i;
// Keys of our tool results: one strong key or two weak ones inside JSON-like text.
const STRONG_KEYS = new Set([
  'tool_call_id',
  'tool_calls',
  'metric_name',
  'anomalous',
  'anomalous_metrics',
  'runbook_id',
  'allowed_actions',
  'default_parameters',
  'root_cause',
  'confidence_score',
  'error_rows',
  'total_rows',
  'window_minutes',
]);
const WEAK_KEYS = new Set([
  'status',
  'band',
  'latest',
  'metrics',
  'groups',
  'samples',
  'template',
  'hits',
  'accepted',
  'plan',
  'evidence',
  'confidence',
  'route',
  'remediation',
  'changes',
]);
const JSON_KEY = /"([A-Za-z_][A-Za-z0-9_]{1,40})"\s*:/g;
const BAND_VALUE = /"(above_band|below_band|within_band)"/;

function looksLikeToolJson(text: string): boolean {
  if (!text.includes('{') || !text.includes('"')) return false;
  if (BAND_VALUE.test(text)) return true;
  let weak = 0;
  for (const m of text.matchAll(JSON_KEY)) {
    const k = m[1]!.toLowerCase();
    if (STRONG_KEYS.has(k)) return true;
    if (WEAK_KEYS.has(k)) weak++;
  }
  return weak >= 2;
}

/** Why the text looks addressed to the agent, or undefined when it reads like an ordinary log line. */
export function injectionShape(text: string): string | undefined {
  if (ROLE_PREFIX.test(text)) return 'a role prefix (SYSTEM:/ASSISTANT:)';
  if (IGNORE_ORDERS.test(text)) return 'an order to ignore instructions';
  if (ADDRESSES_AGENT.test(text)) return 'text addressed to the agent';
  if (OVERRIDE.test(text)) return 'an override claim';
  if (DECISION_FIELD.some((r) => r.test(text))) return "a value for the agent's own decision fields";
  if (TOOL_NAME.test(text)) return "the agent's tool names";
  if (looksLikeToolJson(text)) return 'JSON shaped like a tool result';
  return undefined;
}

export const looksLikeInjection = (text: string): boolean => injectionShape(text) !== undefined;
