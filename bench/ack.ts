/**
 * Slack ack time: every `/bdp` command, every button, the Reject form and a thread message, signed
 * like Slack's, through the Lambda entry (bot/slack/lambda.ts: AwsLambdaReceiver with signature
 * verification on, which answers only when the listener returns). p50/p99 over N requests per kind,
 * repeated for several runs (median and spread of the runs), idle (one request at a time) and with
 * 16 in flight. Target p99 < 50 ms on every path (Slack's limit is 3000 ms). The worker queue only
 * records jobs here: the figure is the handler's own time. The load average is printed beside it.
 *
 *   tsx bench/ack.ts [--requests N] [--runs N] [--concurrency N] [--json]
 *   (without --concurrency: both 1 and 16)
 */
import '../test/eval/quiet';
import { loadavg } from 'node:os';
import { Logger } from '@aws-lambda-powertools/logger';
import { createBotServices } from '../bot/core';
import { LocalSlackApi } from '../bot/local/slack-api';
import { rejectModal } from '../bot/slack/blocks';
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
import { buttonClick, messageEvent, slashCommand, viewSubmission } from '../test/integration/slack/payloads';
import { parseBenchArgs } from './lib/args';
import { median, spread } from './lib/stats';
import { formatTable } from './lib/table';

const TARGET_P99_MS = 50;

const parseArgs = (argv: string[]) => parseBenchArgs(argv, { requests: 500, runs: 3, concurrency: 0 });
const load = () => loadavg().map((x) => Number(x.toFixed(2)));

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

  const formKind = (body: () => string) => () => ({
    body: body(),
    type: 'application/x-www-form-urlencoded',
  });
  const ts = '1764000000.000100';
  const ID = 'inc-bench-ack-0001';
  let seq = 0;
  const kinds: Record<string, () => { body: string; type: string }> = {
    'slash /bdp help': formKind(() => form(slashCommand('help', APPROVER))),
    'slash /bdp analyze': formKind(() => form(slashCommand('analyze payments-api', APPROVER))),
    'slash /bdp status': formKind(() => form(slashCommand('status', APPROVER))),
    'slash /bdp history': formKind(() => form(slashCommand('history payments-api 5', APPROVER))),
    'button Approve': formKind(() => payloadForm(buttonClick('bdp_approve', ID, APPROVER, ts))),
    'button Reject (opens the reason form)': formKind(() =>
      payloadForm(buttonClick('bdp_reject', ID, APPROVER, ts)),
    ),
    'Reject form submitted': formKind(() =>
      payloadForm(
        viewSubmission(
          rejectModal({ incident_id: ID, channel: CHANNEL, message_ts: ts }),
          APPROVER,
          'not now',
        ),
      ),
    ),
    'button Rollback': formKind(() => payloadForm(buttonClick('bdp_rollback', ID, APPROVER, ts))),
    // Events API: a reply in a thread (the ingress looks up whose card the thread is: one read here).
    'event thread message': () => ({
      body: JSON.stringify(messageEvent(`why? ${++seq}`, APPROVER, ts)),
      type: 'application/json',
    }),
  };
  const levels = args.concurrency > 0 ? [args.concurrency] : [1, 16];
  const loadBefore = load();
  const rows: {
    kind: string;
    concurrency: number;
    p50: number[];
    p99: number[];
    max: number[];
    non200: number;
  }[] = [];
  for (const concurrency of levels) {
    for (const [kind, make] of Object.entries(kinds)) {
      const row = {
        kind,
        concurrency,
        p50: [] as number[],
        p99: [] as number[],
        max: [] as number[],
        non200: 0,
      };
      for (let r = 0; r < args.runs; r++) {
        // Signing is the client's (Slack's) work: outside the measured time.
        const events = Array.from({ length: args.requests }, () => {
          const { body, type } = make();
          return functionUrlEvent(body, type, sign(body));
        });
        const times: number[] = [];
        let next = 0;
        const lane = async () => {
          while (next < events.length) {
            const event = events[next++]!;
            const t = performance.now();
            const res = await handler(event);
            times.push(performance.now() - t);
            if (res.statusCode !== 200) row.non200++;
          }
        };
        await Promise.all(Array.from({ length: concurrency }, lane));
        row.p50.push(pctl(times, 50));
        row.p99.push(pctl(times, 99));
        row.max.push(Math.max(...times));
      }
      rows.push(row);
    }
  }
  const loadAfter = load();
  await api.stop();
  await aws.close();

  const figures = rows.flatMap((r) => [
    {
      name: `Slack ack p50: ${r.kind}, ${r.concurrency} in flight`,
      unit: 'ms',
      median: median(r.p50),
      spread: spread(r.p50),
      runs: args.runs,
    },
    {
      name: `Slack ack p99: ${r.kind}, ${r.concurrency} in flight`,
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
    concurrency: levels,
    load_average: { before: loadBefore, after: loadAfter },
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
        'in flight',
        `p50 ms (median of ${args.runs})`,
        'p99 ms',
        'p99 spread',
        'max ms',
        `p99 < ${TARGET_P99_MS} ms`,
        'non-200',
      ],
      rows.map((r) => [
        r.kind,
        r.concurrency,
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
  console.log(`load average (1, 5, 15 min): before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')}`);
}

main().catch((e) => {
  process.stderr.write(`bench ack failed: ${(e as Error).message}\n`);
  process.exit(1);
});
