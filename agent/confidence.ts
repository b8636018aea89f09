import type { ConfidenceBreakdown, Evidence, RemediationPlan } from '../providers/domain';
import { contradictions, type RunbookFacts, recordSupports, type ToolRecord } from './evidence';

/**
 * Confidence is computed here from the state, never taken from the model or from log text.
 *
 *   evidence_sufficiency E — independent evidence families (metrics; logs; recent changes) with at
 *     least one evidence item that cites an existing, successful tool result which actually shows the
 *     runbook's signal (a runbook pattern appears in the result's anomalous metrics / error templates /
 *     changes). Uncited claims, unknown ids and results that do not show the signal count for nothing.
 *     0 families → 0, 1 → 0.65, 2 → 0.9, 3 → 1.0.
 *   logical_consistency L — 1, minus 0.5 per contradicting tool result (max two: a metric the runbook
 *     names as its signal is within its band), minus 0.3 when the plan does not come from the runbook
 *     of the stated cause. Clamped to [0, 1].
 *   actionability A — the plan is allowed by the runbook and the policy: risk low 1.0, medium 0.8,
 *     high 0.6. No action because the runbook is escalate-only 0.3; no runbook or no allowed plan 0.2;
 *     a proposed action that was dropped (runbook bounds, policy, repeat of a failed attempt) 0.1.
 *   total = E × L × A, rounded to 3 decimals.
 *
 * With the default thresholds: two families + low-risk allowed action → 0.9 (auto); one family, or a
 * medium/high-risk action → 0.5–0.85 (approval); no runbook, escalate-only runbooks, contradictions,
 * or no evidence → below 0.5 (escalate).
 */
export interface ConfidenceInput {
  evidence: Evidence[];
  records: ToolRecord[];
  runbook?: RunbookFacts;
  /** The plan after policy checks. */
  plan: RemediationPlan;
  /** 'allowed': an action passed runbook + policy; 'dropped': one was proposed and removed; 'none': none proposed. */
  planStatus: 'allowed' | 'dropped' | 'none';
}

export interface ConfidenceResult {
  breakdown: ConfidenceBreakdown;
  /** Families with supported, cited evidence. */
  families: string[];
  contradictions: string[];
  /** Evidence items whose citation did not hold, with why. */
  rejected_evidence: { claim: string; source: string; why: string }[];
}

const E_BY_FAMILIES = [0, 0.65, 0.9, 1];
const A_BY_RISK: Record<string, number> = { low: 1, medium: 0.8, high: 0.6 };
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function computeConfidence(input: ConfidenceInput): ConfidenceResult {
  const byId = new Map(input.records.map((r) => [r.id, r]));
  const families = new Set<string>();
  const rejected: ConfidenceResult['rejected_evidence'] = [];
  for (const ev of input.evidence) {
    const rec = byId.get(ev.source);
    if (!rec) rejected.push({ ...pick(ev), why: 'cites no tool result of this analysis' });
    else if (!rec.family) rejected.push({ ...pick(ev), why: `${rec.tool} is not evidence of the incident` });
    else if (!recordSupports(rec, input.runbook, ev.claim))
      rejected.push({ ...pick(ev), why: `the ${rec.tool} result does not show this signal` });
    else families.add(rec.family);
  }
  const E = E_BY_FAMILIES[Math.min(3, families.size)]!;

  const found = input.runbook ? contradictions(input.records, input.runbook) : [];
  let L = 1 - 0.5 * Math.min(2, found.length);
  if (input.plan.action !== 'none' && input.runbook && input.plan.runbook_id !== input.runbook.id) L -= 0.3;
  L = Math.max(0, Math.min(1, L));

  let A: number;
  if (input.planStatus === 'allowed' && input.plan.action !== 'none') A = A_BY_RISK[input.plan.risk] ?? 0.6;
  else if (input.planStatus === 'dropped') A = 0.1;
  else if (input.runbook?.escalate) A = 0.3;
  else A = 0.2;

  return {
    breakdown: {
      evidence_sufficiency: r3(E),
      logical_consistency: r3(L),
      actionability: r3(A),
      total: r3(E * L * A),
    },
    families: [...families].sort(),
    contradictions: found,
    rejected_evidence: rejected,
  };
}

const pick = (ev: Evidence) => ({ claim: ev.claim, source: ev.source });
