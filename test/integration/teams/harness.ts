import { Logger } from '@aws-lambda-powertools/logger';
import { type BotServices, createBotServices, type FollowUpInput } from '../../../bot/core';
import { type RunningTeamsServer, startTeamsServer } from '../../../bot/teams/server';
import type { InProcessJobQueue } from '../../../bot/worker/queue';
import { createApprovalService } from '../../../pipeline/approval/service';
import { setChatNotifier } from '../../../pipeline/notify';
import { createWorkflowStore } from '../../../pipeline/state';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import type { IncidentState } from '../../../providers/domain';
import { createRuntime, type Runtime } from '../../../providers/runtime';
import { incidentState, type StateOptions } from '../slack/fixtures';
import { LocalConnector } from './connector';

export const TENANT = 'tenant-0001';
export const BOT = { id: '28:bdp-bot', name: 'BDP' };
export const CHANNEL_CONV = '19:incidents@thread.tacv2';
export const APPROVER = { id: '29:alice', name: 'Alice Approver', aadObjectId: 'aad-alice-0001' };
/** Listed by UPN only: matched through TeamsInfo.getMember. */
export const UPN_APPROVER = { id: '29:uma', name: 'Uma Upn', aadObjectId: 'aad-uma-0002' };
export const UPN = 'uma@contoso.example';
export const STRANGER = { id: '29:sam', name: 'Sam Stranger', aadObjectId: 'aad-sam-0003' };

export interface Member {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface TeamsHarness {
  connector: LocalConnector;
  rt: Runtime;
  aws: MockAwsProviders;
  svc: BotServices;
  server: RunningTeamsServer;
  queue: InProcessJobQueue;
  followUps: FollowUpInput[];
  /** POSTs an activity to the bot's /api/messages; resolves with the HTTP status and body. */
  send(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  message(
    text: string,
    o?: { from?: Member; conversation?: string; id?: string },
  ): Promise<{ status: number; body: unknown }>;
  /** Installs the app in the incidents channel (stores the conversation reference). */
  install(): Promise<void>;
  /** An incident waiting for approval whose card the workflow posted; returns the card's activity id. */
  approvalCard(
    id: string,
    o?: StateOptions,
  ): Promise<{ state: IncidentState; cardId: string; settled: Promise<unknown> }>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;

export async function startTeamsHarness(): Promise<TeamsHarness> {
  const connector = new LocalConnector();
  await connector.start();
  connector.roster.set(UPN_APPROVER.id, {
    ...UPN_APPROVER,
    userPrincipalName: UPN,
    objectId: UPN_APPROVER.aadObjectId,
  });
  connector.roster.set(STRANGER.id, { ...STRANGER, userPrincipalName: 'sam@contoso.example' });
  const config = loadConfig({
    TEAMS_APPROVERS: `${APPROVER.aadObjectId.toUpperCase()},${UPN}`,
    TEAMS_TENANT_ID: TENANT,
  });
  const aws = await createMockAwsProviders({ config });
  const rt = await createRuntime(config, { aws });
  const followUps: FollowUpInput[] = [];
  const svc = createBotServices(rt, {
    followUp: async (_rt, input) => {
      followUps.push(input);
      return {
        answer: `The pool ran out after the deploy (you asked: ${input.question}) [link](http://evil.example)`,
      };
    },
  });
  const server = await startTeamsServer({
    rt,
    svc,
    port: 0,
    logger: new Logger({ serviceName: 'bdp-teams-test', logLevel: 'ERROR' }),
    credentials: {
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      MicrosoftAppTenantId: '',
      MicrosoftAppType: '',
    },
  });
  const queue = server.queue as InProcessJobQueue;

  const send = async (activity: Record<string, unknown>) => {
    const r = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const base = (conversation: string, from: Member) => ({
    id: `act-${++seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: connector.url,
    from,
    recipient: BOT,
    conversation: { id: conversation, conversationType: 'channel', tenantId: TENANT, isGroup: true },
    channelData: { tenant: { id: TENANT } },
  });
  const h: TeamsHarness = {
    connector,
    rt,
    aws,
    svc,
    server,
    queue,
    followUps,
    send,
    message: (text, o = {}) =>
      send({
        ...base(o.conversation ?? CHANNEL_CONV, o.from ?? APPROVER),
        ...(o.id ? { id: o.id } : {}),
        type: 'message',
        text,
      }),
    async install() {
      await send({
        ...base(CHANNEL_CONV, APPROVER),
        type: 'installationUpdate',
        action: 'add',
      });
    },
    async approvalCard(id, o = {}) {
      const state = incidentState({ id, ...o });
      await createWorkflowStore(rt).saveState(state);
      const token = aws.sfn.createTaskToken();
      const settled = aws.sfn.waitForToken(token);
      await createApprovalService(rt).request({ state, task_token: token });
      await queue.idle();
      const ref = (await svc.store.getChatRefs(id)).find((r) => r.surface === 'teams');
      if (!ref) throw new Error(`no Teams card posted for ${id}`);
      return { state, cardId: ref.message_id, settled };
    },
    idle: () => queue.idle(),
    async close() {
      await queue.idle();
      setChatNotifier(undefined);
      await server.stop();
      await connector.stop();
      await aws.close();
    },
  };
  return h;
}

/** An Action.Execute invoke as Teams sends it for a button on the card `cardId`. */
export function invoke(
  verb: string,
  data: Record<string, unknown>,
  from: Member,
  cardId: string,
  serviceUrl: string,
  conversation = CHANNEL_CONV,
): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `inv-${++seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: BOT,
    replyToId: cardId,
    conversation: { id: conversation, conversationType: 'channel', tenantId: TENANT, isGroup: true },
    channelData: { tenant: { id: TENANT } },
    value: { action: { type: 'Action.Execute', id: 'btn', verb, data }, trigger: 'manual' },
  };
}
