import type { ParameterBound, Runbook } from './schema';

const bound = (b: ParameterBound) =>
  [
    b.one_of ? `one of ${b.one_of.join('|')}` : '',
    b.min !== undefined && b.max !== undefined ? `${b.min}–${b.max}` : '',
    b.min !== undefined && b.max === undefined ? `≥${b.min}` : '',
    b.max === undefined || b.min !== undefined ? '' : `≤${b.max}`,
  ]
    .filter(Boolean)
    .join(', ');

/**
 * A compact plain-text view of a runbook for a tool result or a prompt: what it covers, the actions it
 * allows with their bounds and default proposal, then as much of the body as fits in `maxChars`.
 */
export function runbookDigest(r: Runbook, maxChars = 1500): string {
  const lines = [
    `Runbook ${r.id}: ${r.title}`,
    `Services: ${r.services.join(', ')}`,
    `Symptoms: ${r.symptoms.join('; ')}`,
  ];
  if (r.escalate) lines.push('Allowed actions: none — escalate to a human.');
  for (const a of r.allowed_actions) {
    const bounds = Object.entries(a.parameters)
      .map(([k, b]) => `${k} ${bound(b)}`)
      .join('; ');
    lines.push(
      `Allowed action: ${a.action} (risk ${a.risk})${a.services ? ` for ${a.services.join(', ')}` : ''}` +
        `${bounds ? `, bounds: ${bounds}` : ''}; default ${JSON.stringify(a.default_parameters)}`,
    );
  }
  // Signals after the actions: a tight budget keeps what the agent may do.
  lines.push(
    `Metric signals: ${r.metrics.map((m) => `${m.namespace} ${m.name} ${m.direction} band`).join('; ') || 'none'}`,
    `Log signals: ${r.logs.map((l) => `${l.id} (${[...l.phrases, ...l.regex.map((x) => `/${x}/`)].slice(0, 3).join(' | ')})`).join('; ') || 'none'}`,
    ...r.escalate_when.map((e) => `Escalate when: ${e.reason}`),
  );
  const head = lines.join('\n');
  const room = maxChars - head.length - 2;
  if (room <= 40) return head.slice(0, maxChars);
  const body = r.body.length > room ? `${r.body.slice(0, room - 1).trimEnd()}…` : r.body;
  return `${head}\n\n${body}`;
}
