import { NO_SUCH_APPROVAL } from '../../../bot/core/decision-messages';
import { MessageBlocks } from '../../../bot/local/slack-api';
import { rejectModal } from '../../../bot/slack/blocks';
import { createSlackLambdaHandler } from '../../../bot/slack/lambda';
import type { Job } from '../../../bot/worker/jobs';
import { createApprovalService } from '../../../pipeline/approval/service';
import { createRemediationHistoryStore, createWorkflowStore } from '../../../pipeline/state';
import {
  APPROVER,
  CHANNEL,
  form,
  functionUrlEvent,
  GROUP_MEMBER,
  incidentState,
  payloadForm,
  STRANGER,
  sign,
} from './fixtures';
import { type Harness, startHarness } from './harness';
import { buttonClick, mentionOf, messageEvent, slashCommand, viewSubmission } from './payloads';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const body = (r: { body: string }) =>
  r.body ? (JSON.parse(r.body) as { text?: string; blocks?: { text?: { text: string } }[] }) : {};
const replyText = (r: { body: string }) => {
  const b = body(r);
  return [b.text ?? '', ...(b.blocks ?? []).map((x) => x.text?.text ?? '')].join('\n');
};
const command = (text: string, user = APPROVER) => h.postForm(form(slashCommand(text, user)));

/** The card of an incident waiting for approval, posted the way the workflow posts it. */
async function approvalCard(id: string) {
  const state = incidentState({ id });
  await createWorkflowStore(h.rt).saveState(state);
  const token = h.aws.sfn.createTaskToken();
  const settled = h.aws.sfn.waitForToken(token);
  await createApprovalService(h.rt).request({ state, task_token: token });
  await h.queue.idle();
  const ref = (await h.svc.store.getChatRefs(id)).find((r) => r.surface === 'slack');
  if (!ref) throw new Error('no card posted');
  return { state, token, settled, ts: ref.message_id };
}
const card = (ts: string) => h.api.messages.find((m) => m.ts === ts);
const cardText = (ts: string) => JSON.stringify(card(ts)?.blocks ?? []);
/** A click or form through the Lambda entry, then the worker's part (decisions run there after the ack). */
const clicked = async (payload: unknown) => {
  const r = await h.postPayload(payload);
  await h.queue.idle();
  return r;
};
/** `/bdp status|history`: the ack is empty, the worker answers privately; the answer's text and blocks. */
const workerReply = async (text: string, user = APPROVER) => {
  const r = await command(text, user);
  expect(r.statusCode).toBe(200);
  expect(replyText(r)).toBe('');
  await h.queue.idle();
  const e = h.api.ephemerals.filter((x) => x.user === user).at(-1);
  return [
    e?.text ?? '',
    ...((e?.blocks ?? []) as { text?: { text: string } }[]).map((b) => b.text?.text ?? ''),
  ].join('\n');
};
const ephemeralsFor = (user: string) => h.api.ephemerals.filter((e) => e.user === user).map((e) => e.text);

describe('signature verification (AwsLambdaReceiver)', () => {
  test('a bad signature is refused with 401 and nothing runs', async () => {
    const b = form(slashCommand('analyze payments-api', APPROVER));
    const r = await h.postForm(b, sign(b, undefined, 'not-the-secret'));
    expect(r.statusCode).toBe(401);
    const before = h.aws.sfn.executions.length;
    await h.queue.idle();
    expect(h.aws.sfn.executions.length).toBe(before);
  });
  test('a stale signature (10 minutes old) is refused with 401', async () => {
    const b = form(slashCommand('help', APPROVER));
    const r = await h.postForm(b, sign(b, Math.floor(Date.now() / 1000) - 600));
    expect(r.statusCode).toBe(401);
  });
  test('a body changed after signing is refused', async () => {
    const b = form(slashCommand('help', APPROVER));
    const r = await h.postForm(b.replace('help', 'status'), sign(b));
    expect(r.statusCode).toBe(401);
  });
});

describe('/bdp commands', () => {
  test('help and unknown verbs answer with the usage', async () => {
    const help = await command('help');
    expect(help.statusCode).toBe(200);
    expect(replyText(help)).toContain('/bdp analyze <service>');
    const odd = await command('frobnicate now');
    expect(replyText(odd)).toContain('Unknown command `frobnicate`');
    expect(replyText(odd)).toContain('/bdp history <service> [n]');
  });

  test('analyze answers at once and starts the workflow for the service', async () => {
    const r = await command('analyze payments-api');
    expect(replyText(r)).toContain('Analysing payments-api…');
    await h.queue.idle();
    const exec = h.aws.sfn.executions.at(-1);
    expect(exec?.input).toEqual({ service: 'payments-api', requested_by: `slack:${APPROVER}` });
    expect(exec?.state_machine_arn).toMatch(/:stateMachine:bdp-main-workflow$/);
  });

  test('analyze of an unknown service suggests the closest known ones and starts nothing', async () => {
    const before = h.aws.sfn.executions.length;
    const r = await command('analyze paymnts-api');
    expect(replyText(r)).toContain('Unknown service `paymnts-api`. Did you mean `payments-api`');
    await h.queue.idle();
    expect(h.aws.sfn.executions.length).toBe(before);
  });

  test('status lists every incident that needs a person (escalated too), with age and a link to its card', async () => {
    const { ts } = await approvalCard('inc-status-check-1');
    // An escalation that proposed nothing: not "open" for the workflow, but a person must look.
    const escalated = incidentState({ id: 'inc-status-escalated-1', route: 'escalate', confidence: 0.2 });
    escalated.incident.service = 'orders-db';
    await createWorkflowStore(h.rt).saveState(escalated, { status: 'escalated' });
    const resolved = incidentState({ id: 'inc-status-resolved-1' });
    await createWorkflowStore(h.rt).saveState(resolved, { status: 'resolved' });

    const t = await workerReply('status');
    expect(t).toMatch(/\d+ unresolved incidents?, \d+ needs? a person/);
    expect(t).toMatch(
      /payments-api — waiting for approval · confidence 72% · approve by .+ UTC · \d+ min old · </,
    );
    expect(t).toContain(`<https://slack.com/archives/C0INCIDENTS/p${ts.replace('.', '')}|card>`);
    expect(t).toMatch(
      /⚠️ orders-db — escalated: needs a person · confidence 20% · \d+ min old · `inc-status-escalated-1`/,
    );
    expect(t).not.toContain('inc-status-resolved-1');

    const only = await workerReply('status orders-db');
    expect(only).toMatch(/unresolved incidents? for orders-db/);
    expect(only).toContain('orders-db — escalated');
    expect(only).not.toContain('payments-api');
    expect(replyText(await command('status ordrs-db'))).toContain('Did you mean `orders-db`');
  });

  test('history shows the last n remediations with results', async () => {
    const history = createRemediationHistoryStore(h.rt);
    for (let i = 0; i < 4; i++) {
      await history.record(
        {
          incident_id: `inc-history-${i}00000`,
          execution_id: `exec-h-${i}`,
          resource_id: 'lambda:payments-api',
          execution_time: new Date(Date.UTC(2026, 10, 20 + i)).toISOString(),
          action: 'lambda_restart',
          parameters: { function_name: 'payments-api' },
          dry_run: false,
          status: i === 3 ? 'failed' : 'executed',
          rollback_available: true,
          executed_by: 'bdp-agent',
          ...(i === 3 ? { error: 'throttled <!channel>' } : {}),
        },
        'payments-api',
      );
    }
    const t = await workerReply('history payments-api 2');
    expect(t).toContain('Last 2 remediations on payments-api');
    expect(t).toContain('lambda_restart `function_name=payments-api` → failed (throttled &lt;!channel&gt;)');
    expect(t).toContain('inc-history-200000');
    expect(t).not.toContain('inc-history-100000');
    const bad = await command('history payments-api lots');
    expect(replyText(bad)).toContain('`lots` is not a count');
    await h.queue.idle();
  });
});

describe('incident card and buttons', () => {
  test('the approval card carries Approve (with a confirm restating the action) and Reject, valued by the incident id only', async () => {
    const { ts } = await approvalCard('inc-card-shape-1');
    const blocks = card(ts)?.blocks ?? [];
    expect(MessageBlocks.safeParse(blocks).success).toBe(true);
    const actions = blocks.find((b) => (b as { type: string }).type === 'actions') as {
      elements: { action_id: string; value: string; style?: string; confirm?: { text: { text: string } } }[];
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['bdp_approve', 'bdp_reject']);
    expect(actions.elements.every((e) => e.value === 'inc-card-shape-1')).toBe(true);
    expect(actions.elements[0]?.style).toBe('primary');
    expect(actions.elements[0]?.confirm?.text.text).toContain(
      'Restart Lambda function on payments-api with function_name=payments-api',
    );
  });

  test('approve by an approver resumes the workflow once and updates the card in place without buttons', async () => {
    const { ts, settled } = await approvalCard('inc-approve-01');
    const r = await clicked(buttonClick('bdp_approve', 'inc-approve-01', APPROVER, ts));
    expect(r.statusCode).toBe(200);
    await expect(settled).resolves.toMatchObject({
      status: 'success',
      output: { status: 'approved', decided_by: APPROVER },
    });
    await h.queue.idle();
    expect(ephemeralsFor(APPROVER).at(-1)).toContain('You approved `lambda_restart` for `inc-approve-01`');
    expect(cardText(ts)).toContain(`Approved by <@${APPROVER}>`);
    expect(cardText(ts)).not.toContain('bdp_approve');
    expect(h.api.callsTo('chat.update').some((c) => c.args.ts === ts && c.ok)).toBe(true);
    expect(h.api.threadReplies(card(ts)?.channel ?? '', ts).some((m) => m.text.includes('Approved by'))).toBe(
      true,
    );

    // A second click (or a retry) tells who decided, and resumes nothing again.
    await clicked(buttonClick('bdp_approve', 'inc-approve-01', GROUP_MEMBER, ts));
    expect(ephemeralsFor(GROUP_MEMBER).at(-1)).toMatch(
      new RegExp(`Already approved by <@${APPROVER}> at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC`),
    );
  });

  test('a person who is not an approver is told so privately, the attempt is recorded, and the card keeps its buttons', async () => {
    const { ts } = await approvalCard('inc-unauth-01');
    await clicked(buttonClick('bdp_approve', 'inc-unauth-01', STRANGER, ts));
    expect(ephemeralsFor(STRANGER).at(-1)).toBe(NO_SUCH_APPROVAL);
    const audit = await createWorkflowStore(h.rt).getHistory('inc-unauth-01');
    expect(audit.some((e) => e.event === 'unauthorized_decision' && e.actor?.includes(STRANGER))).toBe(true);
    await h.queue.idle();
    expect(cardText(ts)).toContain('bdp_approve');
  });

  test('a non-approver clicking Reject gets no reason form, only the refusal (recorded)', async () => {
    const { ts } = await approvalCard('inc-unauth-02');
    const views = h.api.views.length;
    await clicked(buttonClick('bdp_reject', 'inc-unauth-02', STRANGER, ts));
    expect(h.api.views.length).toBe(views);
    expect(ephemeralsFor(STRANGER).at(-1)).toBe(NO_SUCH_APPROVAL);
  });

  test('when the workflow cannot be resumed the approver is told the decision did not happen, and may retry', async () => {
    const { ts, settled } = await approvalCard('inc-sfn-down-1');
    h.aws.sfn.failNext('SendTaskSuccess', 'unavailable', 3);
    await clicked(buttonClick('bdp_approve', 'inc-sfn-down-1', APPROVER, ts));
    expect(ephemeralsFor(APPROVER).at(-1)).toMatch(
      /^Your approve of `inc-sfn-down-1` could not be recorded: .*try again/,
    );
    h.aws.sfn.faults.clear();
    await clicked(buttonClick('bdp_approve', 'inc-sfn-down-1', APPROVER, ts));
    await expect(settled).resolves.toMatchObject({ status: 'success' });
  });

  test('a member of an approver user group may approve', async () => {
    const { ts, settled } = await approvalCard('inc-group-01');
    await clicked(buttonClick('bdp_approve', 'inc-group-01', GROUP_MEMBER, ts));
    await expect(settled).resolves.toMatchObject({ status: 'success' });
    expect(h.api.callsTo('usergroups.users.list').length).toBeGreaterThan(0);
  });

  test('reject opens a modal; submitting it with a reason rejects with that reason', async () => {
    const { ts, settled } = await approvalCard('inc-reject-01');
    await clicked(buttonClick('bdp_reject', 'inc-reject-01', APPROVER, ts));
    const opened = h.api.views.at(-1);
    expect(opened?.view.callback_id).toBe('bdp_reject_modal');
    if (!opened) throw new Error('no modal');
    const reason = 'レイテンシは許容範囲 — expected during the batch window';
    const r = await clicked(viewSubmission(opened.view, APPROVER, reason));
    expect(r.statusCode).toBe(200);
    const outcome = await settled;
    expect(outcome).toMatchObject({ status: 'failure', error: 'ApprovalRejected' });
    expect(JSON.stringify(outcome)).toContain('レイテンシは許容範囲');
    await h.queue.idle();
    expect(cardText(ts)).toContain(`Rejected by <@${APPROVER}>`);
    expect(cardText(ts)).toContain('レイテンシは許容範囲');
    expect(cardText(ts)).not.toContain('bdp_reject');
  });

  test('rollback on an auto-executed card restores the previous state and updates the card', async () => {
    const id = 'inc-rollback-01';
    const before = await h.aws.lambda.getFunction('payments-api');
    const executed_at = new Date().toISOString();
    const state = incidentState({
      id,
      route: 'auto',
      confidence: 0.9,
      remediation: {
        execution_time: executed_at,
        previous_state: { environment: before.environment, description: before.description },
      },
    });
    await h.aws.lambda.updateFunction('payments-api', {
      environment: { ...before.environment, BDP_RESTARTED_AT: executed_at },
    });
    const store = createWorkflowStore(h.rt);
    await store.saveState(state);
    if (!state.remediation) throw new Error('fixture without remediation');
    await createRemediationHistoryStore(h.rt).record(state.remediation, 'payments-api');
    await h.queue.enqueue({
      type: 'notice',
      notice: { kind: 'executed', at: new Date().toISOString(), state, chat_refs: [] },
    });
    await h.queue.idle();
    const ts = (await store.getChatRefs(id))[0]?.message_id ?? '';
    expect(cardText(ts)).toContain('bdp_rollback');

    await clicked(buttonClick('bdp_rollback', id, APPROVER, ts));
    await h.queue.idle();
    expect(ephemeralsFor(APPROVER).at(-1)).toContain('Rolled back `lambda_restart` on `lambda:payments-api`');
    expect((await h.aws.lambda.getFunction('payments-api')).environment).toEqual(before.environment);
    expect(cardText(ts)).toContain(`Rolled back by <@${APPROVER}>`);
    expect(cardText(ts)).not.toContain('bdp_rollback');
  });
});

describe('thread follow-ups', () => {
  test('a question in the card thread is acked before the agent finishes, then answered in the thread', async () => {
    const { ts } = await approvalCard('inc-thread-01');
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    h.answer = async (i) => {
      await gate;
      return `Deploy 42 doubled the pool size (asked: ${i.question})`;
    };
    const started = Date.now();
    const r = await h.postEvent(
      messageEvent(`<@${h.api.botUserId}> what changed before this started?`, APPROVER, ts),
    );
    const ackMs = Date.now() - started;
    expect(r.statusCode).toBe(200);
    expect(ackMs).toBeLessThan(3000);
    process.stdout.write(
      `[figure] Slack Lambda entry acked a thread question in ${ackMs} ms while the agent was still running\n`,
    );
    // The handler has returned while the agent is still working.
    expect(h.queue.pending).toBeGreaterThan(0);
    // The worker looks the thread up, then says "Thinking…" (poll: a busy machine is slower than 50 ms).
    const findThinking = () => h.api.threadReplies('C0INCIDENTS', ts).find((m) => m.text === 'Thinking…');
    for (let i = 0; i < 200 && !findThinking(); i++) await new Promise((res) => setTimeout(res, 50));
    const thinking = findThinking();
    release(); // before asserting, so a failure here cannot leave the queue waiting on the gate
    expect(thinking).toBeDefined();
    await h.queue.idle();
    const answered = h.api.findMessage('C0INCIDENTS', thinking?.ts ?? '');
    expect(JSON.stringify(answered?.blocks)).toContain(
      'Deploy 42 doubled the pool size (asked: what changed before this started?)',
    );
    expect(h.followUps.at(-1)).toMatchObject({ thread_id: `slack:C0INCIDENTS:${ts}`, user: APPROVER });
  });

  test('a retried event and the mention twin of the same message are handled once', async () => {
    const { ts } = await approvalCard('inc-thread-02');
    h.answer = async () => 'once';
    const before = h.followUps.length;
    const m = messageEvent('is it still happening?', APPROVER, ts);
    await h.postEvent(m);
    await h.postEvent(m, { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' });
    await h.postEvent(mentionOf(m));
    await h.queue.idle();
    expect(h.followUps.length - before).toBe(1);
  });

  test('bot messages, edits and messages outside incident threads are ignored', async () => {
    const { ts } = await approvalCard('inc-thread-03');
    const before = h.followUps.length;
    await h.postEvent(messageEvent('from a bot', 'U0OTHERBOT', ts, { bot_id: 'B0OTHER' } as never));
    await h.postEvent(messageEvent('edited', APPROVER, ts, { subtype: 'message_changed' } as never));
    await h.postEvent(messageEvent('top-level chatter', APPROVER, undefined));
    const other = h.api.postAsUser(APPROVER, 'C0INCIDENTS', 'not a card');
    await h.postEvent(messageEvent('reply to a non-card', APPROVER, other.ts));
    await h.queue.idle();
    expect(h.followUps.length).toBe(before);
  });
});

test('a Function URL event with a plain (not base64) body works too', async () => {
  const b = form(slashCommand('help', APPROVER));
  const r = await h.handler(functionUrlEvent(b, 'application/x-www-form-urlencoded', sign(b), false));
  expect(r.statusCode).toBe(200);
});

describe('ack before any read', () => {
  test('every command and button answers without touching AWS: reads, decisions and replies are queued for the worker', async () => {
    const touched: string[] = [];
    // Any AWS call in the ingress would show here (and fail): the ack must not wait on the store.
    const aws = new Proxy(h.rt.aws, {
      get: (target, key) => {
        touched.push(String(key));
        return Reflect.get(target, key);
      },
    });
    const jobs: Job[] = [];
    const handler = await createSlackLambdaHandler({
      rt: { ...h.rt, aws },
      svc: { rt: { ...h.rt, aws } },
      queue: { enqueue: async (job) => void jobs.push(job) },
      bot: { bot_id: h.api.botId, bot_user_id: h.api.botUserId },
    });
    const post = (b: string) => handler(functionUrlEvent(b, 'application/x-www-form-urlencoded', sign(b)));
    const ts = '1764000000.000100';
    const requests = [
      form(slashCommand('help', APPROVER)),
      form(slashCommand('analyze payments-api', APPROVER)),
      form(slashCommand('status', APPROVER)),
      form(slashCommand('history payments-api 3', APPROVER)),
      payloadForm(buttonClick('bdp_approve', 'inc-ack-only-01', APPROVER, ts)),
      payloadForm(buttonClick('bdp_reject', 'inc-ack-only-01', APPROVER, ts)),
      payloadForm(buttonClick('bdp_rollback', 'inc-ack-only-01', APPROVER, ts)),
      payloadForm(
        viewSubmission(
          rejectModal({ incident_id: 'inc-ack-only-01', channel: CHANNEL, message_ts: ts }),
          APPROVER,
          'not now',
        ),
      ),
    ];
    const thread = JSON.stringify(messageEvent('what changed?', APPROVER, ts));
    for (const b of requests) expect((await post(b)).statusCode).toBe(200);
    expect((await handler(functionUrlEvent(thread, 'application/json', sign(thread)))).statusCode).toBe(200);
    expect(touched.filter((k) => k !== 'lambda')).toEqual([]);
    expect(jobs.map((j) => `${j.type}`)).toEqual([
      'analyze',
      'command',
      'command',
      'decide',
      'reject_form',
      'rollback',
      'decide',
      'thread',
    ]);
    expect(jobs.at(-2)).toMatchObject({
      data: { incident_id: 'inc-ack-only-01', decision: 'reject', reason: 'not now', user: APPROVER },
    });
  });
});
