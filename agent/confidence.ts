import type { ConfidenceBreakdown, Evidence, RemediationPlan } from '../providers/domain';
import { abnormalTerms, claimNamesTerm, type ToolRecord } from './evidence';
import { type Differential, MIN_LOG_LINES, MIN_LOG_SHARE, type RunbookSupport } from './support';

/**
 * Confidence is computed here from the state, never taken from the model or from log text.
 *
 *   evidence_sufficiency E — independent evidence families (metrics; logs; recent changes) with at
 *     least one evidence item citing a successful tool result whose facts count for the runbook
 *     (./support.ts: log templates with enough lines, share and rise; a metric outside its band in the
 *     declared direction; a change record of the declared kind). 0 families → 0, 1 → 0.65, 2 → 0.9, 3 → 1.
 *   logical_consistency L — 1, minus 0.5 per contradiction (max two: a `contradicted_by` metric within
 *     its band), minus 0.3 when the plan does not come from the runbook of the stated cause, minus 0.3
 *     when another runbook has comparable support, minus 0.5 when an `escalate_when` signal is present.
 *   actionability A — the plan is allowed by the runbook and the policy: risk low 1.0, medium 0.8,
 *     high 0.6. No action because the runbook is escalate-only 0.3; no runbook or no allowed plan 0.2;
 *     a proposed action that was dropped (runbook bounds, policy, repeat of a failed attempt) 0.1.
 *   total = E × L × A, rounded to 3 decimals — then held below the auto threshold unless the auto
 *     route is earned: the log family agrees with a family log text cannot produce (a metric outside
 *     its band or a change record), no comparable competitor and no escalate_when signal.
 */
export interface ConfidenceInput {
  evidence: Evidence[];
  records: ToolRecord[];
  /** Support for the runbook of the stated cause (undefined: no runbook). */
  support?: RunbookSupport;
  escalateOnly?: boolean;
  differential?: Differential;
  /** The plan after policy checks. */
  plan: RemediationPlan;
  /** 'allowed': an action passed runbook + policy; 'dropped': one was proposed and removed; 'none': none proposed. */
  planStatus: 'allowed' | 'dropped' | 'none';
  /** The auto route's threshold: a total that has not earned auto stays below it. */
  autoThreshold?: number;
}

export interface ConfidenceResult {
  breakdown: ConfidenceBreakdown;
  /** Families with supported, cited evidence. */
  families: string[];
  contradictions: string[];
  escalations: string[];
  /** Whether the evidence earns the auto route (independent family agreeing with the logs, no doubt). */
  auto_eligible: boolean;
  /** Evidence items whose citation did not hold, with why. */
  rejected_evidence: { claim: string; source: string; why: string }[];
}

const E_BY_FAMILIES = [0, 0.65, 0.9, 1];
const A_BY_RISK: Record<string, number> = { low: 1, medium: 0.8, high: 0.6 };
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function computeConfidence(input: ConfidenceInput): ConfidenceResult {
  const byId = new Map(input.records.map((r) => [r.id, r]));
  const families = new Set<'logs' | 'metrics' | 'changes'>();
  const rejected: ConfidenceResult['rejected_evidence'] = [];
  const s = input.support;
  for (const ev of input.evidence) {
    const rec = byId.get(ev.source);
    if (!rec) rejected.push({ ...pick(ev), why: 'cites no tool result of this analysis' });
    else if (!rec.ok || !rec.family)
      rejected.push({ ...pick(ev), why: `${rec.tool} is not evidence of the incident` });
    else if (s) {
      if (s.sources[rec.family].includes(rec.id)) families.add(rec.family);
      else rejected.push({ ...pick(ev), why: whyNot(rec, s) });
    } else if (abnormalTerms(rec).some((t) => claimNamesTerm(ev.claim, t))) families.add(rec.family);
    else rejected.push({ ...pick(ev), why: `the ${rec.tool} result does not show this signal` });
  }
  const E = E_BY_FAMILIES[Math.min(3, families.size)]!;

  const found = s?.contradictions ?? [];
  const escalations = s?.escalations ?? [];
  const competing = input.differential?.comparable ?? [];
  let L = 1 - 0.5 * Math.min(2, found.length);
  if (input.plan.action !== 'none' && s && input.plan.runbook_id !== s.id) L -= 0.3;
  if (s && competing.length > 0) L -= 0.3;
  if (escalations.length > 0) L -= 0.5;
  L = Math.max(0, Math.min(1, L));

  let A: number;
  if (input.planStatus === 'allowed' && input.plan.action !== 'none') A = A_BY_RISK[input.plan.risk] ?? 0.6;
  else if (input.planStatus === 'dropped') A = 0.1;
  else if (input.escalateOnly) A = 0.3;
  else A = 0.2;

  const independent = families.has('metrics') || families.has('changes');
  const auto_eligible =
    families.has('logs') &&
    independent &&
    competing.length === 0 &&
    escalations.length === 0 &&
    found.length === 0;
  let total = r3(E * L * A);
  if (!auto_eligible && input.autoThreshold !== undefined && total >= input.autoThreshold)
    total = r3(Math.max(0, input.autoThreshold - 0.01));

  return {
    breakdown: {
      evidence_sufficiency: r3(E),
      logical_consistency: r3(L),
      actionability: r3(A),
      total,
    },
    families: [...families].sort(),
    contradictions: found,
    escalations,
    auto_eligible,
    rejected_evidence: rejected,
  };
}

function whyNot(rec: ToolRecord, s: RunbookSupport): string {
  if (rec.family === 'logs') {
    const l = s.logs.find((x) => x.source === rec.id);
    if (!l)
      return `the ${rec.tool} result shows none of runbook ${s.id}'s log signals (suspected injection never counts)`;
    const parts: string[] = [];
    if (l.lines < MIN_LOG_LINES) parts.push(`${l.lines} lines`);
    if (l.share < MIN_LOG_SHARE) parts.push(`${Math.round(l.share * 100)} % of the error lines`);
    if (!l.rises) parts.push('no rise against its baseline');
    return `the matching log lines do not count (${parts.join(', ')})`;
  }
  if (rec.family === 'metrics') return `no metric of runbook ${s.id} is outside its band in this result`;
  return `no change of the kind runbook ${s.id} names is in this result`;
}

const pick = (ev: Evidence) => ({ claim: ev.claim, source: ev.source });
