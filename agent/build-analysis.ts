import { route } from '../providers/config';
import {
  type Analysis,
  type Evidence,
  type Incident,
  type LlmUsage,
  RemediationPlan,
} from '../providers/domain';
import type { Runtime } from '../providers/runtime';
import type { FinalAnswer } from './answer';
import { computeConfidence } from './confidence';
import type { RunbookFacts, ToolRecord } from './evidence';
import type { KnowledgeBase } from './knowledge';
import { proposeRemediation, type ToolContext } from './tools';

const NONE: RemediationPlan = RemediationPlan.parse({
  action: 'none',
  parameters: {},
  rationale: '',
  risk: 'low',
});

export function runbookFacts(kb: KnowledgeBase, id: string | null | undefined): RunbookFacts | undefined {
  const r = id ? kb.get(id) : undefined;
  return r ? { id: r.id, title: r.title, patterns: r.patterns, escalate: r.escalate } : undefined;
}

/** The analysis for a run that could not finish: nothing proposed, confidence 0, escalate. */
export function undeterminedAnalysis(
  rt: Pick<Runtime, 'config' | 'now'>,
  incident: Incident,
  reason: string,
  extra: { usage: LlmUsage; iterations: number; hypotheses?: string[] },
): Analysis {
  return {
    incident_id: incident.incident_id,
    status: 'undetermined',
    root_cause: `Could not determine the root cause: ${reason}`.slice(0, 2000),
    evidence: [],
    confidence: { evidence_sufficiency: 0, logical_consistency: 0, actionability: 0, total: 0 },
    confidence_score: 0,
    remediation_plan: NONE,
    route: route(0, rt.config),
    policy_notes: [reason.slice(0, 1000)],
    hypotheses: extra.hypotheses ?? [],
    iterations: extra.iterations,
    usage: extra.usage,
    analyzed_at: rt.now().toISOString(),
  };
}

/**
 * Turns the model's parsed answer into the Analysis: the plan re-validated (runbook, policy, failed
 * attempts) and replaced by `none` when it fails, the confidence computed from the cited evidence,
 * the route from the thresholds.
 */
export function buildAnalysis(
  ctx: ToolContext,
  answer: FinalAnswer,
  records: ToolRecord[],
  extra: { usage: LlmUsage; iterations: number; hypotheses: string[] },
): Analysis {
  const { rt, kb, incident } = ctx;
  const notes: string[] = [];
  const runbook = runbookFacts(kb, answer.runbook_id);
  if (answer.runbook_id && !runbook) notes.push(`the answer names an unknown runbook "${answer.runbook_id}"`);
  if (!answer.runbook_id) notes.push('no runbook covers this incident: a person must decide');
  else if (runbook?.escalate) notes.push(`runbook ${runbook.id} is escalate-only: no automatic action`);

  let plan = NONE;
  let planStatus: 'allowed' | 'dropped' | 'none' = 'none';
  const r = answer.remediation;
  if (r && r.action !== 'none') {
    const verdict = proposeRemediation(ctx, {
      runbook_id: answer.runbook_id ?? null,
      action: r.action,
      parameters: r.parameters,
      rationale: r.rationale,
    });
    if (verdict.accepted) {
      plan = RemediationPlan.parse(verdict.plan);
      planStatus = 'allowed';
    } else {
      planStatus = 'dropped';
      notes.push(...verdict.problems.map((p) => `proposed ${r.action} dropped: ${p}`));
    }
  }

  const byId = new Map(records.map((x) => [x.id, x]));
  const evidence: Evidence[] = answer.evidence.map((e) => ({
    claim: e.claim,
    source: e.source,
    tool: byId.get(e.source)?.tool,
  }));
  const c = computeConfidence({ evidence, records, runbook, plan, planStatus });
  notes.push(...c.contradictions.map((x) => `contradiction: ${x}`));
  for (const rej of c.rejected_evidence) notes.push(`evidence not counted (${rej.source}): ${rej.why}`);

  // Below the approval threshold the incident escalates and proposes nothing (DESIGN): the withheld
  // action is named for the person, never offered as something to run.
  const decided = route(c.breakdown.total, rt.config);
  if (decided === 'escalate' && plan.action !== 'none') {
    notes.push(
      `escalated: proposed ${plan.action} ${JSON.stringify(plan.parameters)} withheld (confidence too low)`,
    );
    plan = NONE;
  }

  return {
    incident_id: incident.incident_id,
    status: answer.status,
    root_cause: answer.root_cause,
    evidence,
    confidence: c.breakdown,
    confidence_score: c.breakdown.total,
    remediation_plan: plan,
    route: decided,
    policy_notes: notes.map((n) => n.slice(0, 1000)),
    runbook_id: runbook?.id,
    hypotheses: [...new Set([...extra.hypotheses, ...answer.hypotheses])].slice(0, 10),
    iterations: extra.iterations,
    usage: extra.usage,
    analyzed_at: rt.now().toISOString(),
  };
}
