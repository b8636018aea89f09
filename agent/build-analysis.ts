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
import { suspectedInjection, type ToolRecord } from './evidence';
import { coversService } from './knowledge';
import type { Runbook } from './knowledge/schema';
import { type Differential, differential, type RunbookSupport, runbookSupport } from './support';
import { proposeRemediation, type ToolContext } from './tools';

const NONE: RemediationPlan = RemediationPlan.parse({
  action: 'none',
  parameters: {},
  rationale: '',
  risk: 'low',
});

/** The runbooks that may explain an incident of this service (its name, its kind, or any). */
export function candidateRunbooks(ctx: Pick<ToolContext, 'kb' | 'rt' | 'incident'>): Runbook[] {
  const name = ctx.incident.service;
  const kind = ctx.rt.services.find((s) => s.name === name)?.kind;
  return ctx.kb.all().filter((r) => coversService(r.services, { name, kind }));
}

/**
 * Differential diagnosis: every candidate runbook scored from the same tool results; `chosen` is the
 * runbook the answer names (it is scored even when it does not cover the service).
 */
export function diagnose(
  ctx: Pick<ToolContext, 'kb' | 'rt' | 'incident'>,
  records: ToolRecord[],
  chosen: string | null | undefined,
): { support?: RunbookSupport; differential: Differential; all: RunbookSupport[] } {
  const now = ctx.rt.now();
  const runbooks = candidateRunbooks(ctx);
  const own = chosen ? ctx.kb.get(chosen) : undefined;
  if (own && !runbooks.some((r) => r.id === own.id)) runbooks.push(own);
  const all = runbooks.map((r) => runbookSupport(records, r, now));
  const support = own ? all.find((x) => x.id === own.id) : undefined;
  return { support, differential: differential(all, own?.id), all };
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
  const runbook = answer.runbook_id ? kb.get(answer.runbook_id) : undefined;
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
  const dx = diagnose(ctx, records, runbook?.id);
  const c = computeConfidence({
    evidence,
    records,
    support: dx.support,
    escalateOnly: runbook?.escalate,
    differential: dx.differential,
    plan,
    planStatus,
    autoThreshold: rt.config.AUTO_EXECUTE_THRESHOLD,
  });
  notes.push(...c.contradictions.map((x) => `contradiction: ${x}`));
  notes.push(...c.escalations.map((x) => `escalate_when (runbook ${runbook?.id}): ${x}`));
  for (const alt of dx.differential.comparable)
    notes.push(`alternative: runbook ${alt.support.id} (${alt.support.title}): ${alt.why_not}`);
  if (!c.auto_eligible && plan.action !== 'none')
    notes.push(
      'not eligible for automatic execution: it needs log evidence agreeing with a metric outside its band or a change record, with no competing runbook, escalate_when signal or contradiction',
    );
  const injected = suspectedInjection(records);
  if (injected.length)
    notes.push(
      `${injected.length} log template(s) look addressed to the agent (suspected injection): ignored`,
    );
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
    ...(dx.differential.comparable.length
      ? {
          alternatives: dx.differential.comparable.slice(0, 5).map((a) => ({
            runbook_id: a.support.id,
            title: a.support.title.slice(0, 300),
            support: a.support.score,
            why_not: a.why_not.slice(0, 500),
          })),
        }
      : {}),
    ...(injected.length
      ? {
          suspected_injection: injected
            .slice(0, 20)
            .map((x) => ({ source: x.source, excerpt: x.excerpt.slice(0, 300), why: x.why.slice(0, 200) })),
        }
      : {}),
    iterations: extra.iterations,
    usage: extra.usage,
    analyzed_at: rt.now().toISOString(),
  };
}
