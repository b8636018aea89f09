import { createWorkflowStore } from '../../../pipeline/state';
import { cardProblems } from '../../unit/teams/validate-card';
import { incidentState } from '../slack/fixtures';
import {
  APPROVER,
  CHANNEL_CONV,
  invoke,
  STRANGER,
  startTeamsHarness,
  TENANT,
  type TeamsHarness,
  UPN_APPROVER,
} from './harness';

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness();
  await h.install();
});
afterAll(async () => {
  await h.close();
});

type Attachment = { contentType: string; content: Record<string, unknown> };
const cardOf = (body: Record<string, unknown> | undefined) =>
  ((body?.attachments as Attachment[] | undefined) ?? []).find(
    (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
  )?.content;
const lastText = (conversation = CHANNEL_CONV) =>
  String(h.connector.posted(conversation).at(-1)?.body.text ?? '');
const json = (v: unknown) => JSON.stringify(v);

describe('installation and proactive posting', () => {
  test('installing the app stores the conversation and says cards will be posted there', async () => {
    const ref = await h.server.conversations.getDefault();
    expect(ref?.conversation.id).toBe(CHANNEL_CONV);
    expect(ref?.serviceUrl).toBe(h.connector.url);
    expect(
      h.connector
        .posted(CHANNEL_CONV)
        .some((c) => String(c.body.text).includes('incident cards will be posted')),
    ).toBe(true);
  });

  test('a notice for a new incident posts an Adaptive Card through the stored reference; it validates cleanly', async () => {
    const { cardId } = await h.approvalCard('inc-teams-card-1');
    const posted = h.connector.activities.get(cardId);
    expect(posted?.conversation_id).toBe(CHANNEL_CONV);
    const card = cardOf(posted);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(cardProblems(card)).toEqual([]);
    const text = json(card);
    expect(text).toContain('payments-api');
    expect(text).toContain('Waiting for approval');
    expect(text).toContain('"verb":"bdp.approve"');
    expect(text).toContain('"type":"Input.Text"');
    // Buttons carry only the incident id; the Submit fallback names the verb.
    expect(text).toContain('"data":{"incident_id":"inc-teams-card-1"}');
    expect(text).toContain('"fallback":{"type":"Action.Submit"');
  });
});

describe('commands', () => {
  test('help answers with the usage, with or without @BDP and /bdp', async () => {
    for (const t of ['<at>BDP</at> help', 'help', '/bdp help']) {
      const r = await h.message(t);
      expect(r.status).toBe(200);
      expect(lastText()).toContain('`analyze ‹service›`');
      expect(lastText()).not.toContain('/bdp');
    }
    await h.message('<at>BDP</at> frobnicate');
    expect(lastText()).toContain('Unknown command `frobnicate`');
  });

  test('analyze answers at once and starts the workflow for the service, named by the AAD id', async () => {
    const before = h.aws.sfn.executions.length;
    await h.message('<at>BDP</at> analyze payments-api');
    expect(lastText()).toContain('Analysing payments-api…');
    await h.idle();
    expect(h.aws.sfn.executions.length).toBe(before + 1);
    expect(h.aws.sfn.executions.at(-1)?.input).toEqual({
      service: 'payments-api',
      requested_by: `teams:${APPROVER.aadObjectId}`,
    });
  });

  test('analyze of an unknown service suggests the closest ones and starts nothing', async () => {
    const before = h.aws.sfn.executions.length;
    await h.message('analyze paymnts-api');
    expect(lastText()).toContain('Unknown service `paymnts-api`. Did you mean `payments-api`');
    await h.idle();
    expect(h.aws.sfn.executions.length).toBe(before);
  });

  test('status lists open incidents; history says what it found', async () => {
    await h.approvalCard('inc-teams-status-1');
    await h.message('<at>BDP</at> status');
    expect(lastText()).toMatch(/unresolved incidents?, \d+ needs? a person/);
    expect(lastText()).toMatch(/payments-api — waiting for approval .*`inc-teams-status-1`/);
    await h.message('history payments-api 3');
    expect(lastText()).toContain('No remediations recorded for payments-api');
    await h.message('history payments-api lots');
    expect(lastText()).toContain('`lots` is not a count');
  });
});

describe('approvals through Universal Actions', () => {
  test('approve answers the invoke with the updated card, resumes the workflow once and updates the card for everyone', async () => {
    const { cardId, settled } = await h.approvalCard('inc-teams-approve-1');
    const r = await h.send(
      invoke('bdp.approve', { incident_id: 'inc-teams-approve-1' }, APPROVER, cardId, h.connector.url),
    );
    expect(r.status).toBe(200);
    const res = r.body as { statusCode: number; type: string; value: Record<string, unknown> };
    expect(res.statusCode).toBe(200);
    expect(res.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(res.value)).toEqual([]);
    expect(json(res.value)).toMatch(/Approved by Alice Approver at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(json(res.value)).not.toContain('bdp.approve');
    expect(json(res.value)).not.toContain('bdp.reject');
    await expect(settled).resolves.toMatchObject({
      status: 'success',
      output: { status: 'approved', decided_by: APPROVER.aadObjectId },
    });
    await h.idle();
    const updated = h.connector.updates(cardId).at(-1);
    expect(updated).toBeDefined();
    expect(json(cardOf(updated?.body))).toContain('Approved by Alice Approver');
    expect(cardProblems(cardOf(updated?.body))).toEqual([]);

    // A second click (another approver) gets the decided card: who and when, and nothing resumes again.
    const again = await h.send(
      invoke('bdp.approve', { incident_id: 'inc-teams-approve-1' }, UPN_APPROVER, cardId, h.connector.url),
    );
    const v = (again.body as { value: unknown }).value;
    expect(json(v)).toMatch(/Approved by Alice Approver at/);
    expect(json(v)).not.toContain('bdp.approve');
    const audit = await createWorkflowStore(h.rt).getHistory('inc-teams-approve-1');
    expect(audit.filter((e) => e.event === 'approved')).toHaveLength(1);
  });

  test('reject takes the reason from the card input and says who rejected and why', async () => {
    const { cardId, settled } = await h.approvalCard('inc-teams-reject-1');
    const r = await h.send(
      invoke(
        'bdp.reject',
        { incident_id: 'inc-teams-reject-1', reason: 'deploy freeze until 10:00' },
        APPROVER,
        cardId,
        h.connector.url,
      ),
    );
    const v = (r.body as { value: unknown }).value;
    expect(cardProblems(v)).toEqual([]);
    expect(json(v)).toContain('Rejected by Alice Approver');
    expect(json(v)).toContain('deploy freeze until 10:00');
    expect(json(v)).not.toContain('bdp.reject');
    await expect(settled).resolves.toMatchObject({ status: 'failure', error: 'ApprovalRejected' });
    const s = (await settled) as { cause: string };
    expect(JSON.parse(s.cause)).toEqual({
      decided_by: APPROVER.aadObjectId,
      reason: 'deploy freeze until 10:00',
    });
  });

  test('someone not in TEAMS_APPROVERS is refused with a message, the card keeps its buttons, the attempt is recorded', async () => {
    const { cardId } = await h.approvalCard('inc-teams-unauth-1');
    const updatesBefore = h.connector.updates(cardId).length;
    const r = await h.send(
      invoke('bdp.approve', { incident_id: 'inc-teams-unauth-1' }, STRANGER, cardId, h.connector.url),
    );
    expect(r.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'You are not an approver for this action. The attempt was recorded.',
    });
    await h.idle();
    expect(h.connector.updates(cardId).length).toBe(updatesBefore);
    const audit = await createWorkflowStore(h.rt).getHistory('inc-teams-unauth-1');
    expect(
      audit.some((e) => e.event === 'unauthorized_decision' && e.actor?.includes(STRANGER.aadObjectId)),
    ).toBe(true);
  });

  test('an approver listed by UPN is recognised through the member look-up', async () => {
    const { cardId, settled } = await h.approvalCard('inc-teams-upn-1');
    const r = await h.send(
      invoke('bdp.approve', { incident_id: 'inc-teams-upn-1' }, UPN_APPROVER, cardId, h.connector.url),
    );
    expect(json((r.body as { value: unknown }).value)).toContain('Approved by Uma Upn');
    await expect(settled).resolves.toMatchObject({ status: 'success' });
  });

  test('a button payload with a forged incident id shape is refused and decides nothing', async () => {
    const { cardId } = await h.approvalCard('inc-teams-forge-1');
    const r = await h.send(
      invoke('bdp.approve', { incident_id: '../../etc' }, APPROVER, cardId, h.connector.url),
    );
    expect((r.body as { statusCode: number }).statusCode).toBe(400);
    const rec = await h.svc.store.getRecord('inc-teams-forge-1');
    expect(rec?.approval?.status).toBe('pending');
  });

  test('the Action.Submit fallback decides the same way and answers with a message', async () => {
    const { cardId, settled } = await h.approvalCard('inc-teams-submit-1');
    await h.send({
      type: 'message',
      id: 'act-submit-1',
      channelId: 'msteams',
      serviceUrl: h.connector.url,
      from: APPROVER,
      recipient: { id: '28:bdp-bot', name: 'BDP' },
      replyToId: cardId,
      // Teams names the tenant on every activity; approvals need it (issue 14 row 7).
      conversation: { id: CHANNEL_CONV, conversationType: 'channel', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      value: { verb: 'bdp.approve', incident_id: 'inc-teams-submit-1' },
    });
    expect(lastText()).toContain('You approved `lambda_restart` for `inc-teams-submit-1`');
    await expect(settled).resolves.toMatchObject({ status: 'success' });
  });
});

describe('rollback', () => {
  test('Rollback on an executed action is queued, answered at once, and its outcome posted; a stranger is refused', async () => {
    const state = incidentState({
      id: 'inc-teams-rollback-1',
      route: 'auto',
      confidence: 0.9,
      remediation: {},
    });
    await createWorkflowStore(h.rt).saveState(state);
    await h.queue.enqueue({
      type: 'notice',
      notice: { kind: 'executed', at: new Date().toISOString(), state, chat_refs: [] },
    });
    await h.idle();
    const ref = (await h.svc.store.getChatRefs('inc-teams-rollback-1')).find((r) => r.surface === 'teams');
    const card = cardOf(h.connector.activities.get(ref?.message_id ?? ''));
    expect(cardProblems(card)).toEqual([]);
    expect(json(card)).toContain('"verb":"bdp.rollback"');

    const r = await h.send(
      invoke(
        'bdp.rollback',
        { incident_id: 'inc-teams-rollback-1' },
        APPROVER,
        ref?.message_id ?? '',
        h.connector.url,
      ),
    );
    expect(r.body).toMatchObject({
      statusCode: 200,
      value: 'Rollback requested; the card updates when it is done.',
    });
    await h.idle();
    // Nothing was recorded in the remediation history for this test incident, so there is nothing to undo.
    expect(lastText()).toMatch(
      /^Nothing to roll back for `inc-teams-rollback-1`: no remediation .* in history/,
    );

    await h.send(
      invoke(
        'bdp.rollback',
        { incident_id: 'inc-teams-rollback-1' },
        STRANGER,
        ref?.message_id ?? '',
        h.connector.url,
      ),
    );
    await h.idle();
    expect(lastText()).toBe('You are not an approver for this action. The attempt was recorded.');
  });
});

describe('follow-ups in a card thread', () => {
  test('a reply in the card thread goes to the agent; "thinking…" is replaced by the answer', async () => {
    const { cardId } = await h.approvalCard('inc-teams-followup-1');
    const thread = `${CHANNEL_CONV};messageid=${cardId}`;
    await h.message('<at>BDP</at> why did latency rise?', { conversation: thread, id: 'act-q-1' });
    const thinking = h.connector.posted(thread).at(-1);
    expect(thinking?.body.text).toBe('_Thinking…_');
    await h.idle();
    expect(h.followUps.at(-1)).toMatchObject({
      question: 'why did latency rise?',
      thread_id: `teams:${CHANNEL_CONV}:${cardId}`,
      user: APPROVER.aadObjectId,
    });
    expect(h.followUps.at(-1)?.state.incident.incident_id).toBe('inc-teams-followup-1');
    const answer = h.connector.updates(thinking?.id ?? '').at(-1);
    expect(answer?.conversation).toBe(thread);
    expect(String(answer?.body.text)).toContain(
      'The pool ran out after the deploy (you asked: why did latency rise?)',
    );
    // A link in the agent's text is shown as text, not made clickable.
    expect(String(answer?.body.text)).not.toContain('[link](http');

    // The Bot Framework redelivering the same activity does not ask the agent twice.
    const asked = h.followUps.length;
    await h.message('<at>BDP</at> why did latency rise?', { conversation: thread, id: 'act-q-1' });
    await h.idle();
    expect(h.followUps.length).toBe(asked);
  });

  test('a reply in a thread that is not an incident card is treated as a command', async () => {
    const asked = h.followUps.length;
    await h.message('help', { conversation: `${CHANNEL_CONV};messageid=not-a-card` });
    expect(lastText(`${CHANNEL_CONV};messageid=not-a-card`)).toContain('BDP Agent commands');
    expect(h.followUps.length).toBe(asked);
  });
});
