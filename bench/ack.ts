/**
 * Slack ack time: signed slash commands and button clicks through the Lambda entry
 * (bot/slack/lambda.ts: AwsLambdaReceiver with signature verification on), p50/p99 over N requests
 * per kind, repeated for several runs (median and spread of the runs). Target p99 < 50 ms (Slack's
 * limit is 3000 ms). The worker queue only records jobs here: the figure is the handler's own time.
 *
 *   tsx bench/ack.ts [--requests N] [--runs N] [--json]
 */
import '../test/eval/quiet';
import { Logger } from '@aws-lambda-powertools/logger';
import { createBotServices } from '../bot/core';
import { LocalSlackApi } from '../bot/local/slack-api';
import { createSlackLambdaHandler } from '../bot/slack/lambda';
import type { Job } from '../bot/worker/jobs';
import { createApprovalService } from '../pipeline/approval';
import { createWorkflowStore } from '../pipeline/state/workflow-store';
import { createMockAwsProviders } from '../providers/aws';
import { loadConfig } from '../providers/config';
import { createRuntime } from '../providers/runtime';
import {
  APPROVER,
  BOT_TOKEN,
  CHANNEL,
  form,
  functionUrlEvent,
  incidentState,
  payloadForm,
  SIGNING_SECRET,
  sign,
} from '../test/integration/slack/fixtures';
import { buttonClick, slashCommand } from '../test/integration/slack/payloads';
import { parseBenchArgs } from './lib/args';
import { median, spread } from './lib/stats';
import { formatTable } from './lib/table';

const TARGET_P99_MS = 50;

const parseArgs = (argv: string[]) => parseBenchArgs(argv, { requests: 1000, runs: 3 });

const pctl = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const api = new LocalSlackApi({ tokens: [BOT_TOKEN] });
  const url = await api.start();
  const config = loadConfig({
    SLACK_API_URL: url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_CHANNEL_ID: CHANNEL,
    SLACK_APPROVERS: APPROVER,
    LOG_LEVEL: 'ERROR',
  });
  const aws = await createMockAwsProviders({ config });
  const rt = await createRuntime(config, { aws });
  const svc = createBotServices(rt);
  const jobs: Job[] = [];
  const handler = await createSlackLambdaHandler({
    rt,
    svc,
    queue: { enqueue: async (job) => void jobs.push(job) },
    logger: new Logger({ serviceName: 'bdp-slack-bench', logLevel: 'ERROR' }),
    bot: { bot_id: api.botId, bot_user_id: api.botUserId },
  });
  // A pending approval, so clicks take the real path (the decision itself is the worker's).
  const state = incidentState({ id: 'inc-bench-ack-0001' });
  await createWorkflowStore(rt).saveState(state);
  await createApprovalService(rt).request({ state, task_token: aws.sfn.createTaskToken() });

  const kinds: Record<string, () => { body: string; type: string }> = {
    'slash /bdp analyze': () => ({
      body: form(slashCommand('analyze payments-api', APPROVER)),
      type: 'application/x-www-form-urlencoded',
    }),
    'slash /bdp status': () => ({
      body: form(slashCommand('status', APPROVER)),
      type: 'application/x-www-form-urlencoded',
    }),
    'button Approve': () => ({
      body: payloadForm(buttonClick('bdp_approve', 'inc-bench-ack-0001', APPROVER, '1764000000.000100')),
      type: 'application/x-www-form-urlencoded',
    }),
  };
  const rows: { kind: string; p50: number[]; p99: number[]; max: number[]; non200: number }[] = [];
  for (const [kind, make] of Object.entries(kinds)) {
    const row = { kind, p50: [] as number[], p99: [] as number[], max: [] as number[], non200: 0 };
    for (let r = 0; r < args.runs; r++) {
      const times: number[] = [];
      for (let i = 0; i < args.requests; i++) {
        const { body, type } = make();
        // Signing is the client's (Slack's) work: outside the measured time.
        const event = functionUrlEvent(body, type, sign(body));
        const t = performance.now();
        const res = await handler(event);
        times.push(performance.now() - t);
        if (res.statusCode !== 200) row.non200++;
      }
      row.p50.push(pctl(times, 50));
      row.p99.push(pctl(times, 99));
      row.max.push(Math.max(...times));
    }
    rows.push(row);
  }
  await api.stop();
  await aws.close();

  const figures = rows.flatMap((r) => [
    {
      name: `Slack ack p50: ${r.kind}`,
      unit: 'ms',
      median: median(r.p50),
      spread: spread(r.p50),
      runs: args.runs,
    },
    {
      name: `Slack ack p99: ${r.kind}`,
      unit: 'ms',
      median: median(r.p99),
      spread: spread(r.p99),
      runs: args.runs,
      target: `< ${TARGET_P99_MS} ms`,
      met: median(r.p99) < TARGET_P99_MS,
    },
  ]);
  const result = {
    bench: 'ack',
    requests_per_run: args.requests,
    runs: args.runs,
    jobs_enqueued: jobs.length,
    non_200: rows.reduce((s, r) => s + r.non200, 0),
    figures,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.log(
    formatTable(
      [
        'request',
        `p50 ms (median of ${args.runs})`,
        'p99 ms',
        'p99 spread',
        'max ms',
        `p99 < ${TARGET_P99_MS} ms`,
        'non-200',
      ],
      rows.map((r) => [
        r.kind,
        Number(median(r.p50).toFixed(2)),
        Number(median(r.p99).toFixed(2)),
        `±${(spread(r.p99) * 100).toFixed(0)} %`,
        Number(median(r.max).toFixed(1)),
        median(r.p99) < TARGET_P99_MS ? 'met' : 'NOT met',
        r.non200,
      ]),
    ),
  );
  console.log(
    `\n${args.requests} requests per kind per run, ${args.runs} runs; ${jobs.length} jobs handed to the worker queue`,
  );
}

main().catch((e) => {
  process.stderr.write(`bench ack failed: ${(e as Error).message}\n`);
  process.exit(1);
});
