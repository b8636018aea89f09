import { processActivity } from '../../../bot/teams/http';
import { createTeamsLambdaHandler } from '../../../bot/teams/lambda';
import { createWorkflowStore } from '../../../pipeline/state';
import {
  APPROVER,
  BOT,
  CHANNEL_CONV,
  invoke,
  type Member,
  startTeamsHarness,
  TENANT,
  type TeamsHarness,
} from './harness';

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness();
  await h.install();
});
afterAll(async () => {
  await h.close();
});

const REFUSED = 'You are not an approver for this action. The attempt was recorded.';
const bodyOf = (r: { body: unknown }) => r.body as { statusCode: number; type: string; value: unknown };

/** An approval card, then one Approve click shaped by `shape`; returns the answer and what was stored. */
async function approveAs(id: string, shape: (a: Record<string, unknown>) => Record<string, unknown>) {
  const { cardId } = await h.approvalCard(id);
  const r = await h.send(
    shape(invoke('bdp.approve', { incident_id: id }, APPROVER, cardId, h.connector.url)),
  );
  await h.idle();
  const record = await h.svc.store.getRecord(id);
  const history = await createWorkflowStore(h.rt).getHistory(id);
  return { r, record, history };
}

describe('issue 14 row 7: Teams approver identity', () => {
  test('an approver in an msteams activity of the configured tenant still approves (control)', async () => {
    const { r, record } = await approveAs('inc-row7-ok', (a) => a);
    expect(bodyOf(r).type).toBe('application/vnd.microsoft.card.adaptive');
    expect(record?.approval?.status).toBe('approved');
  });

  test('from.id naming an approver, without an AAD object id, is refused and recorded (no from.id fallback)', async () => {
    const spoof: Member = { id: APPROVER.aadObjectId, name: 'Mallory', aadObjectId: '' };
    const { r, record, history } = await approveAs('inc-row7-fromid', (a) => ({
      ...a,
      from: { id: spoof.id, name: spoof.name },
    }));
    expect(bodyOf(r).value).toBe(REFUSED);
    expect(record?.approval?.status).toBe('pending');
    const entry = history.find((e) => e.event === 'unauthorized_decision');
    expect(entry?.actor).toContain(APPROVER.aadObjectId);
    expect(entry?.detail).toMatch(/no AAD object id/);
  });

  test('an activity from another channel than msteams is refused and recorded', async () => {
    for (const channelId of ['webchat', 'directline', 'emulator']) {
      const id = `inc-row7-ch-${channelId}`;
      const { r, record, history } = await approveAs(id, (a) => ({ ...a, channelId }));
      expect(bodyOf(r).value).toBe(REFUSED);
      expect(record?.approval?.status).toBe('pending');
      const entry = history.find((e) => e.event === 'unauthorized_decision');
      expect(entry?.actor).toContain(APPROVER.aadObjectId);
      expect(entry?.detail).toContain(`channel ${channelId}`);
    }
  });

  test('an activity of another tenant, or with no or contradicting tenant ids, is refused and recorded', async () => {
    const shapes: [string, (a: Record<string, unknown>) => Record<string, unknown>][] = [
      [
        'other',
        (a) => ({
          ...a,
          conversation: { id: CHANNEL_CONV, conversationType: 'channel', tenantId: 'tenant-evil' },
          channelData: { tenant: { id: 'tenant-evil' } },
        }),
      ],
      [
        'none',
        (a) => ({ ...a, conversation: { id: CHANNEL_CONV, conversationType: 'channel' }, channelData: {} }),
      ],
      ['mixed', (a) => ({ ...a, channelData: { tenant: { id: 'tenant-evil' } } })],
    ];
    for (const [name, shape] of shapes) {
      const { r, record, history } = await approveAs(`inc-row7-tenant-${name}`, shape);
      expect(bodyOf(r).value).toBe(REFUSED);
      expect(record?.approval?.status).toBe('pending');
      expect(history.find((e) => e.event === 'unauthorized_decision')?.detail).toMatch(/tenant/);
    }
  });

  test('the Action.Submit fallback and Rollback apply the same identity rules', async () => {
    const { cardId } = await h.approvalCard('inc-row7-submit');
    await h.send({
      type: 'message',
      id: 'act-row7-submit',
      channelId: 'msteams',
      serviceUrl: h.connector.url,
      from: { id: APPROVER.aadObjectId, name: 'Mallory' },
      recipient: BOT,
      replyToId: cardId,
      conversation: { id: CHANNEL_CONV, conversationType: 'channel', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      value: { verb: 'bdp.approve', incident_id: 'inc-row7-submit' },
    });
    await h.idle();
    expect(h.connector.posted(CHANNEL_CONV).at(-1)?.body.text).toBe(REFUSED);
    expect((await h.svc.store.getRecord('inc-row7-submit'))?.approval?.status).toBe('pending');

    const jobs = h.aws.lambda.invocations.length;
    const before = h.connector.posted(CHANNEL_CONV).length;
    const rb = await h.send({
      ...invoke('bdp.rollback', { incident_id: 'inc-row7-submit' }, APPROVER, cardId, h.connector.url),
      channelId: 'webchat',
    });
    await h.idle();
    expect(bodyOf(rb).value).toBe(REFUSED);
    expect(h.aws.lambda.invocations.length).toBe(jobs);
    expect(h.connector.posted(CHANNEL_CONV).length).toBe(before);
    const history = await createWorkflowStore(h.rt).getHistory('inc-row7-submit');
    expect(history.filter((e) => e.event.startsWith('unauthorized_')).map((e) => e.event)).toEqual([
      'unauthorized_decision',
      'unauthorized_rollback',
    ]);
  });
});

describe('issue 14 row 10: Teams error answers carry no internal error text', () => {
  const SECRET = 'connect ECONNREFUSED 10.1.2.3:5432 password=hunter2';
  const request = { method: 'POST', headers: {}, body: { type: 'message' } };
  type Adapter = Parameters<typeof processActivity>[0];

  test('a 500 the adapter writes reaches the caller as a generic message', async () => {
    const adapter = {
      authorizeRequest: async (_req: unknown, _res: unknown, next: () => void) => next(),
      process: async (_req: unknown, res: { status(n: number): unknown; send(b: unknown): unknown }) => {
        res.status(500);
        res.send(SECRET);
      },
    } as unknown as Adapter;
    const r = await processActivity(adapter, request, async () => {});
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body ?? '')).not.toMatch(/ECONNREFUSED|hunter2|10\.1\.2\.3/);
  });

  test('an adapter that throws gives a 500 with a generic message, not the error', async () => {
    const adapter = {
      authorizeRequest: async (_req: unknown, _res: unknown, next: () => void) => next(),
      process: async () => {
        throw new Error(SECRET);
      },
    } as unknown as Adapter;
    const r = await processActivity(adapter, request, async () => {}).catch((e: Error) => ({
      status: -1,
      body: e.message,
    }));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body ?? '')).not.toMatch(/ECONNREFUSED|hunter2|10\.1\.2\.3/);
  });

  test('a decision or command that fails inside answers the user without the error text', async () => {
    const { cardId } = await h.approvalCard('inc-row10-leak');
    const decide = jest.spyOn(h.svc.approvals, 'decide').mockRejectedValueOnce(new Error(SECRET));
    const listOpen = jest.spyOn(h.svc.store, 'listUnresolved').mockRejectedValueOnce(new Error(SECRET));
    try {
      const r = await h.send(
        invoke('bdp.approve', { incident_id: 'inc-row10-leak' }, APPROVER, cardId, h.connector.url),
      );
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).toContain('could not be recorded');
      expect(JSON.stringify(r.body)).not.toMatch(/ECONNREFUSED|hunter2|10\.1\.2\.3/);
      await h.message('status');
      const reply = String(h.connector.posted(CHANNEL_CONV).at(-1)?.body.text);
      expect(reply).toContain('`status` failed');
      expect(reply).not.toMatch(/ECONNREFUSED|hunter2|10\.1\.2\.3/);
    } finally {
      decide.mockRestore();
      listOpen.mockRestore();
    }
  });

  test('the Lambda answers a malformed activity with a 4xx or 500 whose body names nothing internal', async () => {
    const handler = await createTeamsLambdaHandler({
      rt: h.rt,
      svc: h.svc,
      queue: h.queue,
      credentials: {
        MicrosoftAppId: '',
        MicrosoftAppPassword: '',
        MicrosoftAppTenantId: '',
        MicrosoftAppType: '',
      },
    });
    for (const body of [
      { type: 5, conversation: { id: 'c' } },
      { type: 'message', conversation: 7 },
    ]) {
      const r = await handler({
        body: JSON.stringify(body),
        headers: {},
        requestContext: { http: { method: 'POST', path: '/api/messages' } },
      }).catch((e: Error) => ({ statusCode: -1, body: e.message }));
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.body ?? '').not.toMatch(/validate|activity\(\)|Error|at |\.ts|\.js/);
    }
  });
});
