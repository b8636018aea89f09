import { z } from 'zod';
import { RemediationPlan } from './remediation';

/** A claim in an analysis, citing the tool result it came from. Uncited claims count for nothing. */
export const Evidence = z.object({
  claim: z.string().min(1).max(500),
  /** The tool_call_id of the ToolMessage the claim rests on. */
  source: z.string().min(1),
  /** The tool that produced it (query_cloudwatch_metrics, …). */
  tool: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

/** Confidence is computed from these parts, never taken from the model or the logs. */
export const ConfidenceBreakdown = z.object({
  evidence_sufficiency: z.number().min(0).max(1),
  logical_consistency: z.number().min(0).max(1),
  actionability: z.number().min(0).max(1),
  total: z.number().min(0).max(1),
});
export type ConfidenceBreakdown = z.infer<typeof ConfidenceBreakdown>;

export const Route = z.enum(['auto', 'approval', 'escalate']);

export const LlmUsage = z.object({
  llm_calls: z.number().int().nonnegative(),
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  latency_ms: z.number().nonnegative().default(0),
});
export type LlmUsage = z.infer<typeof LlmUsage>;

/** A runbook the analysis considered beside the chosen one, and why it was not chosen. */
export const AlternativeCause = z.object({
  runbook_id: z.string(),
  title: z.string().max(300).optional(),
  /** Support score of the differential diagnosis (best log share + metric/change bonus). */
  support: z.number().min(0),
  why_not: z.string().max(500),
});
export type AlternativeCause = z.infer<typeof AlternativeCause>;

/** A log line that addresses the agent: shown to the person, never counted as evidence. */
export const SuspectedInjection = z.object({
  source: z.string(),
  excerpt: z.string().max(300),
  why: z.string().max(200),
});
export type SuspectedInjection = z.infer<typeof SuspectedInjection>;

export const Analysis = z.object({
  incident_id: z.string(),
  status: z.enum(['determined', 'undetermined']),
  root_cause: z.string().max(2000),
  evidence: z.array(Evidence).max(50),
  confidence: ConfidenceBreakdown,
  confidence_score: z.number().min(0).max(1),
  remediation_plan: RemediationPlan,
  route: Route,
  /** Why a proposed action was dropped or weakened (policy rule broken, no runbook, …). */
  policy_notes: z.array(z.string()).default([]),
  runbook_id: z.string().optional(),
  hypotheses: z.array(z.string()).default([]),
  /** Differential diagnosis: competing runbooks with comparable support (optional, cards may show it). */
  alternatives: z.array(AlternativeCause).max(5).optional(),
  /** Log lines flagged as suspected prompt injection (optional; never evidence). */
  suspected_injection: z.array(SuspectedInjection).max(20).optional(),
  iterations: z.number().int().nonnegative(),
  usage: LlmUsage,
  analyzed_at: z.iso.datetime(),
});
export type Analysis = z.infer<typeof Analysis>;
