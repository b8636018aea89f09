// `npm run --silent analyze -- <service> [--json] [--scenario <name>]`: one analysis on the current
// providers (mocks by default). Exit codes: 0 done, 2 bad usage / unknown service, 1 failure.
// Logs are silenced unless LOG_LEVEL=DEBUG so stdout is the result alone.
if (process.env.LOG_LEVEL !== 'DEBUG') process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { createHash } from 'node:crypto';
import type { MockAwsProviders } from '../providers/aws';
import { parseCli } from '../providers/cli';
import { getConfig, loadServices } from '../providers/config';
import type { Analysis, Incident } from '../providers/domain';
import { SCENARIOS, scenarioSeed } from './scenarios';

const USAGE = `usage: npm run --silent analyze -- <service> [--json] [--scenario <name>]

One analysis of <service> on the current providers (mocks by default), printed as text or --json.
  --json             the Analysis as JSON
  --scenario <name>  seed the mock providers with a scenario first (AWS_MOCK=true): ${Object.keys(SCENARIOS).join(', ')}
  --help             this text
Exit codes: 0 done, 2 bad usage / unknown service, 1 failure.`;

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** A synthetic on-demand incident: what `/bdp analyze <service>` asks for. */
export function onDemandIncident(service: string, now: Date, trigger = 'cli'): Incident {
  const signature = createHash('sha256').update(`${service}|on_demand`).digest('hex').slice(0, 16);
  return {
    incident_id: `inc-${service}-${now.getTime().toString(36)}`,
    signature,
    service,
    severity: 'medium',
    title: `On-demand analysis of ${service}`,
    trigger,
    created_at: now.toISOString(),
    anomalies: [
      {
        signature,
        service,
        source: 'cloudwatch_metric',
        kind: 'on_demand',
        severity: 'medium',
        detected_at: now.toISOString(),
        summary: `On-demand analysis of ${service}'s current signals`,
      },
    ],
  };
}

export function renderAnalysis(a: Analysis, service: string): string {
  const c = a.confidence;
  const plan = a.remediation_plan;
  const lines = [
    `Incident ${a.incident_id} (${service}) — ${a.status}, ${a.iterations} iteration(s)`,
    `Route: ${a.route.toUpperCase()}   Confidence: ${c.total.toFixed(3)} = evidence ${c.evidence_sufficiency} × consistency ${c.logical_consistency} × actionability ${c.actionability}`,
    `Root cause: ${a.root_cause}`,
    'Evidence:',
    ...(a.evidence.length
      ? a.evidence.map((e) => `  - ${e.claim} [${e.source}${e.tool ? ` ${e.tool}` : ''}]`)
      : ['  (none)']),
    `Remediation: ${plan.action}${plan.action === 'none' ? '' : ` ${JSON.stringify(plan.parameters)} (risk ${plan.risk}${plan.runbook_id ? `, runbook ${plan.runbook_id}` : ''})`}`,
  ];
  if (a.hypotheses.length) lines.push(`Hypotheses: ${a.hypotheses.join(' → ')}`);
  if (a.policy_notes.length) lines.push('Notes:', ...a.policy_notes.map((n) => `  - ${n}`));
  const u = a.usage;
  lines.push(
    `LLM: ${u.llm_calls} call(s), ${u.prompt_tokens} prompt + ${u.completion_tokens} completion tokens, ${u.latency_ms} ms`,
  );
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCli(
    {
      usage: USAGE,
      options: { json: { type: 'boolean' }, scenario: { type: 'string' } },
      positionals: { min: 1, max: 1, name: '<service>' },
    },
    argv,
  );
  const json = values.json ?? false;
  const scenarioName = values.scenario;
  const service = positionals[0]!;

  const config = getConfig();
  // Check the name before loading the SDKs and starting any engine (dynalite, PGlite).
  const known = loadServices(config).map((s) => s.name);
  if (!known.includes(service)) fail(2, `unknown service "${service}"; known services: ${known.join(', ')}`);
  const { createRuntime }: typeof import('../providers/runtime') = require('../providers/runtime');
  const { analyzeIncident }: typeof import('./analyze') = require('./analyze');
  const rt = await createRuntime(config);
  try {
    if (scenarioName) {
      const s = SCENARIOS[scenarioName];
      if (!s) fail(2, `unknown scenario "${scenarioName}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
      if (s.service !== service) fail(2, `scenario "${scenarioName}" is about ${s.service}, not ${service}`);
      if (!config.AWS_MOCK) fail(2, '--scenario seeds the mock providers: it needs AWS_MOCK=true');
      const mock = rt.aws as MockAwsProviders;
      const seed = scenarioSeed(s, rt.services, rt.now());
      mock.cloudwatch.seed(seed.metrics);
      await mock.unifiedLogs.insert(seed.unified_logs);
      for (const [g, events] of Object.entries(seed.logs)) mock.logs.putLogEvents(g, events);
    }
    const analysis = await analyzeIncident(rt, { incident: onDemandIncident(service, rt.now()) });
    process.stdout.write(`${json ? JSON.stringify(analysis, null, 2) : renderAnalysis(analysis, service)}\n`);
  } finally {
    await rt.aws.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => fail(1, `analyze failed: ${(e as Error).message}`));
}
