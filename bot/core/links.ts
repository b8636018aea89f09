import type { Anomaly } from '../../providers/domain';

/** Console deep links a card offers: the metric in CloudWatch, the log group, the workflow run. */
export interface CardLink {
  label: string;
  url: string;
}

interface LinkConfig {
  CONSOLE_BASE_URL: string;
  AWS_REGION: string;
}

const base = (c: LinkConfig) =>
  c.CONSOLE_BASE_URL.endsWith('/') ? c.CONSOLE_BASE_URL : `${c.CONSOLE_BASE_URL}/`;

/** CloudWatch's own URL encoding for metric graph state: `~` separators, `'` string prefixes. */
const cwString = (s: string) => `'${encodeURIComponent(s).replace(/%/g, '*')}`;

export function metricLink(c: LinkConfig, a: Anomaly): CardLink | undefined {
  const m = a.metric;
  if (!m) return undefined;
  const dims = Object.entries(m.dimensions).flatMap(([k, v]) => [cwString(k), cwString(v)]);
  const metric = ['', cwString(m.namespace), cwString(m.metric_name), ...dims].join('~');
  const graph = `~(metrics~(~(${metric}))~region~'${c.AWS_REGION}~stat~'${m.stat}~period~${m.period_seconds})`;
  return {
    label: `${m.metric_name} in CloudWatch`,
    url: `${base(c)}cloudwatch/home?region=${c.AWS_REGION}#metricsV2?graph=${graph}`,
  };
}

export function logGroupLink(c: LinkConfig, a: Anomaly): CardLink | undefined {
  const group = a.logs?.log_group;
  if (!group) return undefined;
  const encoded = encodeURIComponent(encodeURIComponent(group)).replace(/%/g, '$');
  return {
    label: 'Log group',
    url: `${base(c)}cloudwatch/home?region=${c.AWS_REGION}#logsV2:log-groups/log-group/${encoded}`,
  };
}

export function executionLink(c: LinkConfig, executionArn: string | undefined): CardLink | undefined {
  if (!executionArn?.startsWith('arn:')) return undefined;
  return {
    label: 'Workflow run',
    url: `${base(c)}states/home?region=${c.AWS_REGION}#/v2/executions/details/${encodeURIComponent(executionArn)}`,
  };
}
