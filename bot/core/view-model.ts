import type { Config } from '../../providers/config';
import type {
  Anomaly,
  Evidence,
  IncidentNotice,
  NoticeKind,
  RemediationPlan,
  Severity,
} from '../../providers/domain';
import { type CardLink, executionLink, logGroupLink, metricLink } from './links';
import { formatBand, formatMetricValue, metricUnit } from './metric-units';
import { formatNumber, formatTime, percent, sparkline } from './text';

/** The buttons a card may carry; each surface renders them its own way, with only the incident id as payload. */
export type CardButton = 'approve' | 'reject' | 'rollback';

/** How the card reads at a glance: decides the colour/emoji and the status line. */
export type CardTone = 'attention' | 'working' | 'good' | 'bad' | 'neutral';

export interface SignalLine {
  /** "Duration (p95, 60 s) = 2,300 ms — above the band 120–400 ms". */
  text: string;
  /** A log message template, shown as code (placeholders as ⟨*⟩), never as markup. */
  template?: string;
  /** Text sparkline of the recent values, oldest first. */
  trend?: string;
}

export interface ConfidenceView {
  total: number;
  evidence_sufficiency: number;
  logical_consistency: number;
  actionability: number;
  /** "72% (evidence 80% · consistency 70% · actionability 60%)". */
  text: string;
  /** One sentence saying the number covers acting, not only diagnosing (and the diagnosis part alone). */
  explain: string;
}

/** A person's decision on the proposed action: stays on the card through every later state (the audit trail). */
export interface DecisionView {
  status: 'approved' | 'rejected';
  /** The decider's user id without surface prefix (surfaces render a mention or a name). */
  by: string;
  at?: string;
  reason?: string;
}

export interface ActionView {
  action: RemediationPlan['action'];
  /** "Restart Lambda function" etc. */
  title: string;
  /** The exact parameters, pretty-printed JSON (shown in a code block). */
  parameters: string;
  risk: RemediationPlan['risk'];
  rationale: string;
}

/** Everything a card says, independent of Slack or Teams. */
export interface IncidentView {
  incident_id: string;
  service: string;
  severity: Severity;
  kind: NoticeKind;
  /** "🔴 HIGH · payments-api — p95 latency above band". */
  header: string;
  /** Current state in words, with who and when where a person acted. */
  status: string;
  tone: CardTone;
  signals: SignalLine[];
  root_cause: string;
  /** At most five, for the card. */
  evidence: string[];
  /** Every evidence claim, for the thread when there are more than five. */
  all_evidence: string[];
  confidence?: ConfidenceView;
  route?: 'auto' | 'approval' | 'escalate';
  /** The proposed (or executed) action; absent when there is none. */
  action?: ActionView;
  /** The approval's confirm dialog text, restating the action. */
  confirm_text?: string;
  /** Escalations mention the on-call group (its id; the surface formats the mention). */
  mention_group?: string;
  /** Extra human text from the notice (failure reason, rejection reason, verification detail). */
  detail?: string;
  policy_notes: string[];
  links: CardLink[];
  /** Who approved or rejected, when and why; kept on executed / verifying / resolved / failed cards. */
  decision?: DecisionView;
  /** On-demand runs: the user id who asked (without surface prefix); surfaces render a mention. */
  requested_by?: string;
  /** While approval is pending: when the request expires and escalates (ISO). */
  approval_deadline?: string;
  /** "inc-… · detected 2026-11-26 07:15 UTC · trigger schedule". */
  footer: string;
  buttons: CardButton[];
}

export const MAX_CARD_EVIDENCE = 5;

const SEVERITY_MARK: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵' };

const ACTION_TITLE: Record<RemediationPlan['action'], string> = {
  lambda_restart: 'Restart Lambda function',
  rds_parameter: 'Change RDS parameter',
  auto_scaling: 'Scale capacity',
  eventbridge_event: 'Publish EventBridge event',
  none: 'No action',
};

function signalOf(a: Anomaly): SignalLine {
  if (a.metric) {
    const m = a.metric;
    const dims = Object.values(m.dimensions).join('/');
    const unit = metricUnit(m.namespace, m.metric_name);
    return {
      text:
        `${m.metric_name} (${m.stat}, ${m.period_seconds} s${dims ? `, ${dims}` : ''}) = ${formatMetricValue(m.value, unit)} — ` +
        `${m.direction} the band ${formatBand(m.band.lower, m.band.upper, unit, [m.value, ...m.series])}`,
      trend: sparkline(m.series) || undefined,
    };
  }
  if (a.logs) {
    const l = a.logs;
    const where = l.log_group ? ` in ${l.log_group}` : a.source === 'rds_logs' ? ' in unified logs' : '';
    return {
      text: `${l.error_count} errors in ${l.window_minutes} min${where} (baseline ${formatNumber(l.baseline_count)})`,
      template: l.template ? showPlaceholders(l.template) : undefined,
      trend: sparkline(l.series) || undefined,
    };
  }
  return { text: showPlaceholders(a.summary) };
}

/**
 * Text from the agent or the verifier, made fit for a card: log-template placeholders `<*>` read as
 * ⟨*⟩ (never markup or a tag on any surface), and anomaly bands quoted in the text are clamped at 0
 * (every metric the product watches is non-negative; a band below 0 is the model's artefact).
 */
export function showPlaceholders(text: string): string {
  return text.replace(/<\*>/g, '⟨*⟩').replace(/\b(band\s+)-[\d.,]+(\s*[–-]\s*)/g, '$10$2');
}

/**
 * What is wrong, once: the incident title without the service prefix (the header names it) and
 * without the figures after the last colon (the Detected section shows them with units).
 */
export function shortTitle(service: string, title: string): string {
  let t = title.trim();
  const prefix = `${service}:`;
  if (t.toLowerCase().startsWith(prefix.toLowerCase())) t = t.slice(prefix.length).trim();
  // On-demand titles name the requester by surface id; the footer names them properly.
  t = t.replace(/^analysis requested by \S+:\s*/i, 'On-demand analysis: ');
  // Long titles keep their first clause; the details follow in the Detected section.
  if (t.length > 90) {
    const cut = t.slice(20).search(/;\s|\s—\s|,\s(?:mostly|baseline)/);
    if (cut >= 0) t = t.slice(0, cut + 20);
  }
  t = t.replace(/:\s*-?[\d.,]+\s*(vs|>|<|above|below)\b.*$/i, '').replace(/\s+for \d+ periods$/i, '');
  return showPlaceholders(t);
}

const TOOL_NAMES: Record<string, string> = {
  query_cloudwatch_metrics: 'CloudWatch metrics',
  query_rds_logs: 'unified logs',
  query_cloudwatch_logs: 'CloudWatch Logs',
  get_recent_changes: 'change history',
  search_knowledge_base: 'knowledge base',
  analyze_patterns: 'patterns',
};

function claimOf(e: Evidence): string {
  const claim = showPlaceholders(e.claim);
  return e.tool ? `${claim} (${TOOL_NAMES[e.tool] ?? e.tool})` : claim;
}

function statusOf(n: IncidentNotice, route: IncidentView['route']): { status: string; tone: CardTone } {
  const v = n.state.verification;
  const pending = n.kind === 'approval_requested' || (n.kind === 'analyzed' && route === 'approval');
  // The signal came back before anyone decided: say so, or the card keeps asking for an action nobody needs.
  if (pending && v?.resolved)
    return {
      status: `Recovered on its own at ${formatTime(v.checked_at)}: approving is probably not needed`,
      tone: 'good',
    };
  const who = n.actor ? ` by ${n.actor}` : '';
  const when = ` at ${formatTime(n.at)}`;
  const dry = n.state.remediation?.dry_run ? ' (dry run)' : '';
  switch (n.kind) {
    case 'analyzed':
      if (route === 'auto')
        return { status: 'Confidence is high: remediating automatically', tone: 'working' };
      if (route === 'approval') return { status: 'Waiting for approval', tone: 'attention' };
      return { status: 'Escalated: needs a person, no action proposed', tone: 'attention' };
    case 'approval_requested':
      return { status: 'Waiting for approval', tone: 'attention' };
    case 'approved':
      return { status: `Approved${who}${when}`, tone: 'working' };
    case 'rejected':
      return { status: `Rejected${who}${when}`, tone: 'neutral' };
    case 'expired':
      return { status: `Approval expired${when}: escalated`, tone: 'bad' };
    case 'executing':
      return { status: `Executing${dry}…`, tone: 'working' };
    case 'executed':
      return { status: `Executed${dry}${when}; verifying`, tone: 'working' };
    case 'resolved':
      return { status: `Resolved${when}`, tone: 'good' };
    case 'not_resolved':
      return { status: `Not resolved yet${when}: replanning`, tone: 'attention' };
    case 'escalated':
      return { status: `Escalated${when}: needs a person`, tone: 'bad' };
    case 'failed':
      return { status: `Failed${when}`, tone: 'bad' };
    case 'rolled_back':
      return { status: `Rolled back${who}${when}`, tone: 'neutral' };
  }
}

/** Which buttons still apply: approval only while pending; rollback only while an executed action can be undone. */
function buttonsOf(n: IncidentNotice, route: IncidentView['route'], hasAction: boolean): CardButton[] {
  const pendingApproval = n.kind === 'approval_requested' || (n.kind === 'analyzed' && route === 'approval');
  if (pendingApproval && hasAction) return ['approve', 'reject'];
  const r = n.state.remediation;
  const undoable = r?.status === 'executed' && r.rollback_available && !r.dry_run;
  if (undoable && (n.kind === 'executed' || n.kind === 'resolved' || n.kind === 'not_resolved'))
    return ['rollback'];
  return [];
}

/** Builds the card's content from a notice. Pure: same notice and config, same view. */
export function buildIncidentView(
  notice: IncidentNotice,
  config: Pick<Config, 'CONSOLE_BASE_URL' | 'AWS_REGION'> &
    Partial<Pick<Config, 'APPROVAL_TIMEOUT_SECONDS'>> & { oncall_group?: string },
): IncidentView {
  const { incident, analysis } = notice.state;
  const route = analysis?.route;
  const plan = analysis?.remediation_plan;
  const action: ActionView | undefined =
    plan && plan.action !== 'none'
      ? {
          action: plan.action,
          title: ACTION_TITLE[plan.action],
          parameters: JSON.stringify(plan.parameters, null, 2),
          risk: plan.risk,
          rationale: plan.rationale,
        }
      : undefined;
  const { status, tone } = statusOf(notice, route);
  const first = incident.anomalies[0];
  const links = [
    ...incident.anomalies.slice(0, 2).flatMap((a) => [metricLink(config, a), logGroupLink(config, a)]),
    executionLink(config, notice.execution_arn ?? notice.state.execution_id),
  ].filter((l): l is CardLink => l !== undefined);
  const escalated =
    notice.kind === 'escalated' ||
    notice.kind === 'expired' ||
    (notice.kind === 'analyzed' && route === 'escalate');
  const all_evidence = (analysis?.evidence ?? []).map(claimOf);
  const c = analysis?.confidence;
  const buttons = buttonsOf(notice, route, action !== undefined);
  const person = personOf(incident.trigger);

  return {
    incident_id: incident.incident_id,
    service: incident.service,
    severity: incident.severity,
    kind: notice.kind,
    header: `${SEVERITY_MARK[incident.severity]} ${incident.severity.toUpperCase()} · ${incident.service} — ${shortTitle(incident.service, incident.title || first?.summary || 'incident')}`,
    status,
    tone,
    signals: incident.anomalies.slice(0, 3).map(signalOf),
    root_cause: showPlaceholders(analysis?.root_cause || 'Root cause not determined yet.'),
    evidence: all_evidence.slice(0, MAX_CARD_EVIDENCE),
    all_evidence,
    confidence: c
      ? {
          ...c,
          text: `${percent(c.total)} (evidence ${percent(c.evidence_sufficiency)} · consistency ${percent(c.logical_consistency)} · actionability ${percent(c.actionability)})`,
          explain: confidenceExplain(c),
        }
      : undefined,
    route,
    action: route === 'escalate' && notice.kind === 'analyzed' ? undefined : action,
    confirm_text: action
      ? `${action.title} on ${incident.service} with ${compactParams(plan)} (risk ${action.risk})?`
      : undefined,
    mention_group: escalated ? config.oncall_group : undefined,
    detail: notice.detail ? showPlaceholders(notice.detail) : undefined,
    policy_notes: (analysis?.policy_notes ?? []).map(showPlaceholders),
    links,
    decision: decisionOf(notice),
    requested_by: person,
    approval_deadline:
      buttons.includes('approve') && config.APPROVAL_TIMEOUT_SECONDS
        ? new Date(Date.parse(notice.at) + config.APPROVAL_TIMEOUT_SECONDS * 1000).toISOString()
        : undefined,
    footer: `${incident.incident_id} · detected ${formatTime(incident.created_at)}${person ? ' · on demand' : ` · trigger ${incident.trigger}`}`,
    buttons,
  };
}

/** "slack:U0APPROVER" / "teams:…" → the user id; schedules and other triggers are not people. */
function personOf(trigger: string): string | undefined {
  const m = /^(slack|teams):(.+)$/.exec(trigger);
  return m ? m[2] : undefined;
}

function decisionOf(n: IncidentNotice): DecisionView | undefined {
  const a = n.state.approval;
  if (!a || (a.status !== 'approved' && a.status !== 'rejected') || !a.decided_by) return undefined;
  return {
    status: a.status,
    by: a.decided_by.replace(/^(slack|teams):/, ''),
    at: a.decided_at ?? (n.kind === a.status ? n.at : undefined),
    reason: a.reason || undefined,
  };
}

function confidenceExplain(c: {
  evidence_sufficiency: number;
  logical_consistency: number;
  actionability: number;
  total: number;
}): string {
  const diagnosis = Math.min(c.evidence_sufficiency, c.logical_consistency);
  const base = `Diagnosis confidence ${percent(diagnosis)}, action confidence ${percent(c.actionability)} (whether an allowed action fits): the overall ${percent(c.total)} covers acting too and decides the route.`;
  return diagnosis >= 0.7 && c.actionability < 0.5
    ? `${base} The diagnosis is clear, but no allowed action fits, so a person decides.`
    : base;
}

function compactParams(plan: RemediationPlan | undefined): string {
  if (!plan) return '';
  return Object.entries(plan.parameters)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}
