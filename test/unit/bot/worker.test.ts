import { JobDispatcher } from '../../../bot/worker/dispatcher';
import { Job } from '../../../bot/worker/jobs';
import { InProcessJobQueue, LambdaJobQueue } from '../../../bot/worker/queue';
import type { LambdaProvider } from '../../../providers/aws/types';
import type { IncidentNotice } from '../../../providers/domain';
import { incidentState } from '../../integration/slack/fixtures';

const notice = (id: string, kind: IncidentNotice['kind'] = 'analyzed'): Job => ({
  type: 'notice',
  notice: { kind, at: new Date().toISOString(), state: incidentState({ id }), chat_refs: [] },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('enqueue returns before the job runs; concurrency is bounded', async () => {
  let running = 0;
  let peak = 0;
  const q = new InProcessJobQueue(
    async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(20);
      running--;
    },
    { concurrency: 2 },
  );
  for (let i = 0; i < 6; i++) await q.enqueue({ type: 'analyze', surface: 'slack', data: { n: i } });
  expect(running).toBe(0);
  expect(q.pending).toBe(6);
  await q.idle();
  expect(peak).toBe(2);
});

test('jobs of the same incident run in order, one at a time', async () => {
  const log: string[] = [];
  const q = new InProcessJobQueue(
    async (job) => {
      if (job.type !== 'notice') return;
      log.push(`start ${job.notice.kind}`);
      await sleep(job.notice.kind === 'analyzed' ? 30 : 1);
      log.push(`end ${job.notice.kind}`);
    },
    { concurrency: 4 },
  );
  await q.enqueue(notice('inc-same-000001', 'analyzed'));
  await q.enqueue(notice('inc-same-000001', 'approval_requested'));
  await q.idle();
  expect(log).toEqual([
    'start analyzed',
    'end analyzed',
    'start approval_requested',
    'end approval_requested',
  ]);
});

test('a failing job is kept and logged, and does not stop the others', async () => {
  const done: number[] = [];
  const q = new InProcessJobQueue(async (job) => {
    if (job.type !== 'notice' && job.data.n === 1) throw new Error('boom');
    if (job.type !== 'notice') done.push(Number(job.data.n));
  });
  for (let i = 0; i < 3; i++)
    await q.enqueue({
      type: 'followup',
      surface: 'slack',
      data: { n: i, incident_id: `inc-fail-00000${i}` },
    });
  await q.idle();
  expect(done.sort()).toEqual([0, 2]);
  expect(q.failed).toEqual([
    expect.objectContaining({ job: 'slack followup inc-fail-000001', error: 'boom' }),
  ]);
});

test('the Lambda queue invokes the worker asynchronously with the job', async () => {
  const calls: [string, unknown][] = [];
  const lambda = {
    invokeAsync: async (n: string, p: unknown) => void calls.push([n, p]),
  } as unknown as LambdaProvider;
  const job = notice('inc-lambda-00001');
  await new LambdaJobQueue(lambda, 'bdp-bot-worker').enqueue(job);
  expect(calls).toEqual([['bdp-bot-worker', job]]);
  expect(Job.parse(JSON.parse(JSON.stringify(calls[0]?.[1])))).toEqual(job);
});

test('the dispatcher sends notices to every surface and surface jobs to their own', async () => {
  const seen: string[] = [];
  const d = new JobDispatcher()
    .register({
      surface: 'slack',
      deliverNotice: async () => void seen.push('slack notice'),
      handleJob: async (j) => void seen.push(`slack ${j.type}`),
    })
    .register({ surface: 'teams', deliverNotice: async () => void seen.push('teams notice') });
  await d.run(notice('inc-dispatch-0001'));
  await d.run({ type: 'followup', surface: 'slack', data: {} });
  await expect(d.run({ type: 'followup', surface: 'teams', data: {} })).rejects.toThrow(
    'No worker registered for teams followup jobs',
  );
  expect(seen.sort()).toEqual(['slack followup', 'slack notice', 'teams notice']);
});

test('one surface failing does not keep the other from showing the notice', async () => {
  const seen: string[] = [];
  const d = new JobDispatcher()
    .register({ surface: 'slack', deliverNotice: async () => Promise.reject(new Error('slack down')) })
    .register({ surface: 'teams', deliverNotice: async () => void seen.push('teams') });
  await expect(d.run(notice('inc-dispatch-0002'))).rejects.toThrow('slack down');
  expect(seen).toEqual(['teams']);
});
