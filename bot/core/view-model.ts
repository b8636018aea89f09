import type { Config } from '../../providers/config';
import type {
  Anomaly,
  Evidence,
  IncidentNotice,
  NoticeKind,
  RemediationPlan,
  Severity,
} from '../../providers/domain';
import { loadPolicy } from '../../providers/policy';
import { type CardLink, executionLink, logGroupLink, metricLink } from './links';
import { formatNumber, formatTime, percent, sparkline } from './text';

/** The buttons a card may carry; each surface renders them its own way, with only the incident id as payload. */
export type CardButton = 'approve' | 'reject' | 'rollback';

/** How the card reads at a glance: decides the colour/emoji and the status line. */
export type CardTone = 'attention' | 'working' | 'good' | 'bad' | 'neutral';

export interface SignalLine {
  /** "payments-api Duration (p95, 60 s) = 2,300 — above the band 120–400". */
  text: string;
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
  rds_reboot: 'Reboot DB cluster writer',
  rds_terminate_idle_sessions: 'End idle DB sessions',
  none: 'No action',
};

/** A reboot's title says what it costs: the policy's expected downtime. */
function actionTitle(plan: Exclude<RemediationPlan, { action: 'none' }>): string {
  if (plan.action !== 'rds_reboot') return ACTION_TITLE[plan.action];
  const s = loadPolicy().actions.rds_reboot?.expected_downtime_seconds;
  return `${ACTION_TITLE.rds_reboot} — expected downtime ${s ? `about ${s} s` : 'unknown'}, approval required`;
}

function signalOf(a: Anomaly): SignalLine {
  if (a.metric) {
    const m = a.metric;
    const dims = Object.values(m.dimensions).join('/');
    return {
      text:
        `${m.metric_name} (${m.stat}, ${m.period_seconds} s${dims ? `, ${dims}` : ''}) = ${formatNumber(m.value)} — ` +
        `${m.direction} the band ${formatNumber(m.band.lower)}–${formatNumber(m.band.upper)}`,
      trend: sparkline(m.series) || undefined,
    };
  }
  if (a.logs) {
    const l = a.logs;
    const where = l.log_group ? ` in ${l.log_group}` : a.source === 'rds_logs' ? ' in unified logs' : '';
    const tmpl = l.template ? ` — "${l.template}"` : '';
    return {
      text: `${l.error_count} errors in ${l.window_minutes} min${where} (baseline ${formatNumber(l.baseline_count)})${tmpl}`,
      trend: sparkline(l.series) || undefined,
    };
  }
  return { text: a.summary };
}

function claimOf(e: Evidence): string {
  return e.tool ? `${e.claim} (${e.tool})` : e.claim;
}

function statusOf(n: IncidentNotice, route: IncidentView['route']): { status: string; tone: CardTone } {
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
  config: Pick<Config, 'CONSOLE_BASE_URL' | 'AWS_REGION'> & { oncall_group?: string },
): IncidentView {
  const { incident, analysis } = notice.state;
  const route = analysis?.route;
  const plan = analysis?.remediation_plan;
  const action: ActionView | undefined =
    plan && plan.action !== 'none'
      ? {
          action: plan.action,
          title: actionTitle(plan),
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

  return {
    incident_id: incident.incident_id,
    service: incident.service,
    severity: incident.severity,
    kind: notice.kind,
    header: `${SEVERITY_MARK[incident.severity]} ${incident.severity.toUpperCase()} · ${incident.service} — ${incident.title || first?.summary || 'incident'}`,
    status,
    tone,
    signals: incident.anomalies.slice(0, 3).map(signalOf),
    root_cause: analysis?.root_cause || 'Root cause not determined yet.',
    evidence: all_evidence.slice(0, MAX_CARD_EVIDENCE),
    all_evidence,
    confidence: c
      ? {
          ...c,
          text: `${percent(c.total)} (evidence ${percent(c.evidence_sufficiency)} · consistency ${percent(c.logical_consistency)} · actionability ${percent(c.actionability)})`,
        }
      : undefined,
    route,
    action: route === 'escalate' && notice.kind === 'analyzed' ? undefined : action,
    confirm_text: action
      ? `${action.title} on ${incident.service} with ${compactParams(plan)} (risk ${action.risk})?`
      : undefined,
    mention_group: escalated ? config.oncall_group : undefined,
    detail: notice.detail,
    policy_notes: analysis?.policy_notes ?? [],
    links,
    footer: `${incident.incident_id} · detected ${formatTime(incident.created_at)} · trigger ${incident.trigger}`,
    buttons: buttonsOf(notice, route, action !== undefined),
  };
}

function compactParams(plan: RemediationPlan | undefined): string {
  if (!plan) return '';
  return Object.entries(plan.parameters)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}
