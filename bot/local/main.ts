// `npm start` (interim): resolve the configuration, build the runtime on the providers it names and
// run a live check of each one. The local workspace (issue 9) replaces this entry.
import '../../providers/polyfills';
import { HumanMessage } from '@langchain/core/messages';
import { ConfigError, describeConfig, loadConfig } from '../../providers/config';
import { createRuntime, type Runtime } from '../../providers/runtime';

type Check = [name: string, run: (rt: Runtime) => Promise<string>];

const checks: Check[] = [
  [
    'cloudwatch',
    async (rt) => {
      const end = rt.now();
      const q = {
        namespace: 'BDP/Check',
        metric_name: 'Ping',
        dimensions: {},
        stat: 'Sum',
        period_seconds: 60,
        start: new Date(end.getTime() - 300_000),
        end: new Date(end.getTime() + 60_000),
      };
      await rt.aws.cloudwatch.putMetricData([{ ...q, value: 1, timestamp: end }]);
      const s = await rt.aws.cloudwatch.getMetric(q);
      return `put + read back ${s.values.length} datapoint(s)`;
    },
  ],
  [
    'dynamodb',
    async (rt) => {
      const r = await rt.aws.dynamo.put('anomaly_tracking', {
        signature: 'startcheck000001',
        last_seen: 'now',
      });
      const again = await rt.aws.dynamo.put(
        'anomaly_tracking',
        { signature: 'startcheck000001' },
        { expression: 'attribute_not_exists(signature)' },
      );
      return `${rt.aws.dynamo.tableName('anomaly_tracking')}: write ${r.ok ? 'ok' : 'lost'}, conditional rewrite ${again.ok ? 'ok (unexpected)' : 'refused as expected'}`;
    },
  ],
  [
    'unified logs (SQL)',
    async (rt) => {
      const end = rt.now();
      const counts = await rt.aws.unifiedLogs.errorCounts({
        window_start: new Date(end.getTime() - 600_000),
        baseline_start: new Date(end.getTime() - 3_600_000),
        end,
      });
      return `error-count query ran (${counts.length} service(s) with errors)`;
    },
  ],
  [
    'lambda',
    async (rt) => {
      const name = rt.services.find((s) => s.kind === 'lambda')?.name ?? 'payments-api';
      const f = await rt.aws.lambda.getFunction(name);
      return `${f.function_name}: ${f.memory_mb} MB, ${f.timeout_s} s`;
    },
  ],
  [
    'llm',
    async (rt) => {
      const t0 = Date.now();
      await rt.llm.invoke([new HumanMessage('Reply with OK.')]);
      return `${rt.llm.provider} (${rt.llm.modelName}) answered in ${Date.now() - t0} ms`;
    },
  ],
];

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  console.log('BDP Agent — resolved configuration:');
  for (const [k, v] of Object.entries(describeConfig(config))) {
    if (v !== undefined)
      console.log(`  ${k.padEnd(26)} ${Array.isArray(v) ? v.join(',') || '(none)' : String(v)}`);
  }
  const rt = await createRuntime(config);
  console.log(`\nProviders: AWS ${config.AWS_MOCK ? 'mock' : 'real'}, LLM ${rt.llm.provider}`);
  for (const [name, run] of checks) {
    try {
      console.log(`  ✓ ${name.padEnd(20)} ${await run(rt)}`);
    } catch (e) {
      console.log(`  ✗ ${name.padEnd(20)} ${(e as Error).message}`);
    }
  }
  await rt.aws.close();
}

main().catch((e: unknown) => {
  console.error(`npm start failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
