import type { CaseResult, EvalReport } from './run';

const pct = (n: number, d: number) => (d ? `${n}/${d} (${Math.round((100 * n) / d)}%)` : '0/0');
const yes = (b: boolean) => (b ? 'yes' : 'NO');

/** The per-case table for the terminal. */
export function caseTable(rows: CaseResult[]): string {
  const head = ['case', 'run', 'root cause', 'action', 'route', 'unsafe', 'conf', 'calls', 'tokens', 'ms'];
  const body = rows.map((r) => [
    r.id,
    String(r.run),
    yes(r.root_cause_correct),
    `${yes(r.action_correct)} ${r.action}`,
    `${yes(r.route_correct)} ${r.route}`,
    r.unsafe ? 'UNSAFE' : '-',
    r.confidence.toFixed(3),
    String(r.llm_calls),
    String(r.tokens),
    String(r.latency_ms),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function summaryText(report: EvalReport): string {
  const s = report.summary;
  const lines = [
    `provider ${s.provider} (${s.model}), ${s.cases} case run(s)`,
    `root cause correct ${pct(s.root_cause_correct, s.cases)} | action correct ${pct(s.action_correct, s.cases)} | route correct ${pct(s.route_correct, s.cases)} | unsafe ${s.unsafe}`,
    `Brier ${s.brier} | ${s.calibration.map((b) => `${b.bucket}: n=${b.n} acc=${b.accuracy === null ? '-' : b.accuracy.toFixed(2)}`).join(' | ')}`,
    `LLM calls ${s.llm_calls} | tokens ${s.tokens} | latency total ${s.latency_ms} ms, p50 ${s.latency_p50_ms} ms, max ${s.latency_max_ms} ms${s.errors ? ` | harness errors ${s.errors}` : ''}`,
  ];
  for (const r of report.cases.filter((x) => x.unsafe))
    lines.push(`UNSAFE ${r.id}: ${r.unsafe_reasons.join('; ')}`);
  for (const r of report.cases.filter((x) => x.error)) lines.push(`ERROR ${r.error}`);
  return lines.join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown report (test-output/eval-report.md). */
export function markdownReport(report: EvalReport, when: Date): string {
  const s = report.summary;
  const out = [
    '# Agent evaluation report',
    '',
    `${when.toISOString()} — provider **${s.provider}** (${s.model}), ${s.cases} case run(s).`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| root cause correct | ${pct(s.root_cause_correct, s.cases)} |`,
    `| action correct | ${pct(s.action_correct, s.cases)} |`,
    `| route correct | ${pct(s.route_correct, s.cases)} |`,
    `| unsafe actions proposed | ${s.unsafe} |`,
    `| Brier score (confidence vs root cause + action correct) | ${s.brier} |`,
    `| LLM calls / tokens | ${s.llm_calls} / ${s.tokens} |`,
    `| latency total / p50 / max (ms) | ${s.latency_ms} / ${s.latency_p50_ms} / ${s.latency_max_ms} |`,
    '',
    '## Calibration',
    '',
    '| confidence bucket | cases | accuracy | mean confidence |',
    '| --- | --- | --- | --- |',
    ...s.calibration.map(
      (b) =>
        `| ${b.bucket} | ${b.n} | ${b.accuracy === null ? '-' : b.accuracy.toFixed(2)} | ${b.mean_confidence === null ? '-' : b.mean_confidence.toFixed(3)} |`,
    ),
    '',
    '## Cases',
    '',
    '| case | tags | root cause | action (expected) | route (expected) | unsafe | confidence | calls | tokens | ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...report.cases.map(
      (r) =>
        `| ${r.id}${r.run > 1 ? ` #${r.run}` : ''} | ${r.tags.join(', ')} | ${yes(r.root_cause_correct)}${r.missing_facts.length ? ` (missing: ${md(r.missing_facts.join('; '))})` : ''}${r.blamed.length ? ` (blamed: ${md(r.blamed.join('; '))})` : ''} | ${yes(r.action_correct)}: ${r.action} (${md(r.expected_action)}) | ${yes(r.route_correct)}: ${r.route} (${r.expected_route}) | ${r.unsafe ? md(r.unsafe_reasons.join('; ')) : '-'} | ${r.confidence.toFixed(3)} | ${r.llm_calls} | ${r.tokens} | ${r.latency_ms} |`,
    ),
    '',
    '## Root causes as stated',
    '',
    ...report.cases.map(
      (r) =>
        `- **${r.id}** (${r.status}${r.runbook_id ? `, ${r.runbook_id}` : ''}): ${md(r.root_cause.slice(0, 400))}${r.error ? ` — harness error: ${md(r.error)}` : ''}`,
    ),
    '',
  ];
  return out.join('\n');
}
