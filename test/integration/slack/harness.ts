import { type BotServices, createBotServices, type FollowUpInput } from '../../../bot/core';
import { LocalSlackApi } from '../../../bot/local/slack-api';
import type { AwsResponse } from '../../../bot/slack/lambda';
import { createSlackLambdaHandler, type SlackLambdaHandler } from '../../../bot/slack/lambda';
import { InProcessJobQueue } from '../../../bot/worker/queue';
import { createDispatcher } from '../../../bot/worker/surfaces';
import { setChatNotifier } from '../../../pipeline/notify';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { createRuntime, type Runtime } from '../../../providers/runtime';
import {
  APPROVER,
  APPROVER_GROUP,
  BOT_TOKEN,
  CHANNEL,
  functionUrlEvent,
  GROUP_MEMBER,
  ONCALL,
  payloadForm,
  SIGNING_SECRET,
  sign,
} from './fixtures';

export interface Harness {
  api: LocalSlackApi;
  rt: Runtime;
  aws: MockAwsProviders;
  svc: BotServices;
  queue: InProcessJobQueue;
  handler: SlackLambdaHandler;
  followUps: FollowUpInput[];
  /** What the fake agent answers (may be slow, to show ack-before-work). */
  answer: (input: FollowUpInput) => Promise<string>;
  /** Posts a signed form body through the Lambda entry. */
  postForm(body: string, headers?: Record<string, string>): Promise<AwsResponse>;
  postPayload(payload: unknown): Promise<AwsResponse>;
  postEvent(envelope: unknown, headers?: Record<string, string>): Promise<AwsResponse>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const api = new LocalSlackApi({ tokens: [BOT_TOKEN], usergroups: { [APPROVER_GROUP]: [GROUP_MEMBER] } });
  const url = await api.start();
  const config = loadConfig({
    SLACK_API_URL: url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_CHANNEL_ID: CHANNEL,
    SLACK_APPROVERS: `${APPROVER},${APPROVER_GROUP}`,
    SLACK_ONCALL_GROUP: ONCALL,
  });
  const aws = await createMockAwsProviders({ config });
  const rt = await createRuntime(config, { aws });
  const followUps: FollowUpInput[] = [];
  const h = {} as Harness;
  h.answer = async (i) => `The latency rose after the deploy (asked: ${i.question})`;
  const svc = createBotServices(rt, {
    followUp: async (_rt, input) => {
      followUps.push(input);
      return { answer: await h.answer(input) };
    },
  });
  const dispatcher = await createDispatcher(rt, svc);
  const queue = new InProcessJobQueue((job) => dispatcher.run(job), { concurrency: 4 });
  // The pipeline's notices (approval requested, approved, …) reach Slack through this process's worker.
  setChatNotifier({ publish: (notice) => queue.enqueue({ type: 'notice', notice }) });
  const handler = await createSlackLambdaHandler({ rt, svc, queue });

  const postForm = (body: string, headers: Record<string, string> = sign(body)) =>
    handler(functionUrlEvent(body, 'application/x-www-form-urlencoded', headers));
  Object.assign(h, {
    api,
    rt,
    aws,
    svc,
    queue,
    handler,
    followUps,
    postForm,
    postPayload: (payload: unknown) => postForm(payloadForm(payload)),
    postEvent: (envelope: unknown, headers: Record<string, string> = {}) => {
      const body = JSON.stringify(envelope);
      return handler(functionUrlEvent(body, 'application/json', { ...sign(body), ...headers }));
    },
    async close() {
      await queue.idle();
      setChatNotifier(undefined);
      await api.stop();
      await aws.close();
    },
  });
  return h;
}
