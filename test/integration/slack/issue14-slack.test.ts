import { createApprovalService } from '../../../pipeline/approval/service';
import { createWorkflowStore } from '../../../pipeline/state';
import type { RemediationPlan } from '../../../providers/domain';
import { APPROVER, form, incidentState, STRANGER, sign } from './fixtures';
import { type Harness, startHarness } from './harness';
import { buttonClick, slashCommand } from './payloads';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const replyText = (r: { body: string }) => {
  const b = r.body ? (JSON.parse(r.body) as { text?: string; blocks?: { text?: { text: string } }[] }) : {};
  return [b.text ?? '', ...(b.blocks ?? []).map((x) => x.text?.text ?? '')].join('\n');
};
const now = () => Math.floor(Date.now() / 1000);

async function approvalCard(id: string, plan?: RemediationPlan) {
  const state = incidentState({ id, plan });
  await createWorkflowStore(h.rt).saveState(state);
  await createApprovalService(h.rt).request({ state, task_token: h.aws.sfn.createTaskToken() });
  await h.queue.idle();
  const ref = (await h.svc.store.getChatRefs(id)).find((r) => r.surface === 'slack');
  if (!ref) throw new Error('no card posted');
  return ref.message_id;
}

describe('issue 14 row 9: replayed and future-dated Slack requests', () => {
  test('the same signed /bdp analyze delivered twice is answered twice but starts one run', async () => {
    const body = form(slashCommand('analyze payments-api', APPROVER));
    const headers = sign(body);
    const before = h.aws.sfn.executions.length;
    const first = await h.postForm(body, headers);
    await h.queue.idle();
    const replay = await h.postForm(body, headers);
    await h.queue.idle();
    expect([first.statusCode, replay.statusCode]).toEqual([200, 200]);
    expect(h.aws.sfn.executions.length - before).toBe(1);
    // A new request (new timestamp, new signature) is acted on as usual.
    const again = form(slashCommand('analyze payments-api', APPROVER));
    await h.postForm(again, sign(again, now() + 1));
    await h.queue.idle();
    expect(h.aws.sfn.executions.length - before).toBe(2);
  });

  test('a replayed button click is not acted on twice (held-out shape: a block action)', async () => {
    const ts = await approvalCard('inc-replay-click-1');
    const body = form({
      payload: JSON.stringify(buttonClick('bdp_approve', 'inc-replay-click-1', STRANGER, ts)),
    });
    const headers = sign(body);
    const audit = async () =>
      (await createWorkflowStore(h.rt).getHistory('inc-replay-click-1')).filter(
        (e) => e.event === 'unauthorized_decision',
      ).length;
    expect((await h.postForm(body, headers)).statusCode).toBe(200);
    expect((await h.postForm(body, headers)).statusCode).toBe(200);
    await h.queue.idle();
    expect(await audit()).toBe(1);
  });

  test('a timestamp more than 5 minutes in the future is refused with 401; a little skew is fine', async () => {
    const body = form(slashCommand('help', APPROVER));
    expect((await h.postForm(body, sign(body, now() + 3600))).statusCode).toBe(401);
    expect((await h.postForm(body, sign(body, now() + 301 + 5))).statusCode).toBe(401);
    expect((await h.postForm(body, sign(body, now() + 60))).statusCode).toBe(200);
  });
});

describe('issue 14 row 10: no existence probe, escaped echoes, safe code blocks', () => {
  test('a non-approver gets one answer for a known and an unknown incident', async () => {
    const ts = await approvalCard('inc-probe-known-1');
    await h.postPayload(buttonClick('bdp_approve', 'inc-probe-known-1', STRANGER, ts));
    await h.postPayload(buttonClick('bdp_approve', 'inc-probe-unknown-1', STRANGER, ts));
    await h.postPayload(buttonClick('bdp_rollback', 'inc-probe-unknown-2', STRANGER, ts));
    await h.queue.idle();
    const said = h.api.ephemerals.filter((e) => e.user === STRANGER).map((e) => e.text);
    const [known, unknown, rollback] = said.slice(-3);
    expect(unknown).toBe(known);
    expect(rollback).toBe(known);
    expect(known).toMatch(/No such approval/);
    expect(known).not.toContain('inc-probe');
  });

  test.each([
    ['analyze <!channel>', '<!channel>'],
    ['<!here> please', '<!here>'],
    ['history payments-api <@U0BOSS>', '<@U0BOSS>'],
    ['analyze a&b<https://evil.example|click>', '<https://evil.example|click>'],
  ])('/bdp %s: what the person typed is echoed escaped', async (text, raw) => {
    const r = await h.postForm(form(slashCommand(text, APPROVER)));
    expect(r.statusCode).toBe(200);
    const t = replyText(r);
    expect(t).not.toContain(raw);
    expect(t).toContain('&lt;');
  });

  test('backticks in a plan string cannot close the card code block', async () => {
    const plan: RemediationPlan = {
      action: 'eventbridge_event',
      parameters: {
        event_type: 'ALERT',
        detail: { service: 'payments-api', note: 'x ``` *bold* <!here> ```' },
      },
      rationale: '',
      risk: 'low',
    };
    const ts = await approvalCard('inc-backticks-1', plan);
    const card = h.api.messages.find((m) => m.ts === ts);
    const texts = JSON.stringify(card?.blocks ?? []);
    const action = (JSON.parse(texts) as { text?: { text?: string } }[])
      .map((b) => b.text?.text ?? '')
      .find((t) => t.includes('Proposed action'));
    expect(action).toBeDefined();
    expect(action!.match(/```/g)).toHaveLength(2);
    expect(action).not.toContain('<!here>');
  });
});

describe('issue 14 row 1: the card shows the target', () => {
  test('the proposed action names what it touches and whose it is', async () => {
    const plan: RemediationPlan = {
      action: 'lambda_restart',
      parameters: { function_name: 'payments-api' },
      rationale: '',
      risk: 'low',
      target: 'Lambda function payments-api (payments-api)',
    };
    const ts = await approvalCard('inc-target-line-1', plan);
    const card = h.api.messages.find((m) => m.ts === ts);
    expect(JSON.stringify(card?.blocks ?? [])).toContain(
      'Target: Lambda function payments-api (payments-api)',
    );
  });
});
