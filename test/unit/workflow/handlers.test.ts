import { TransientError } from '../../../pipeline/handlers/common';
import { notify, handler as notifyHandler } from '../../../pipeline/handlers/notify';
import { handler as remediateHandler } from '../../../pipeline/handlers/remediate';
import { createWorkflowStore } from '../../../pipeline/state';
import { AwsProviderError } from '../../../providers/aws/types';
import { setRuntime } from '../../../providers/runtime';
import { makeIncident, makeRuntime, recordNotices, stateWith, type TestRuntime } from './support';

let rt: TestRuntime & { advance(ms: number): void };
beforeAll(async () => {
  rt = await makeRuntime();
  setRuntime(rt);
});
afterAll(async () => {
  await rt.aws.close();
});

describe('Lambda entries', () => {
  it('a bad event fails with the field that was wrong, before touching anything', async () => {
    await expect(notifyHandler({ kind: 'party', state: {} })).rejects.toThrow(/notify: bad input at kind/);
    await expect(remediateHandler({ incident: { incident_id: 'nope' } })).rejects.toThrow(
      /remediate: bad input at incident/,
    );
  });

  it('a throttled AWS call surfaces as TransientError, the name the workflow retries', async () => {
    const state = stateWith(makeIncident(), 0.9);
    const spy = jest
      .spyOn(rt.aws.dynamo, 'put')
      .mockRejectedValue(new AwsProviderError('dynamodb', 'PutItem', 'throttled', 'slow down'));
    const err = await remediateHandler(state).catch((e: unknown) => e);
    spy.mockRestore();
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).name).toBe('TransientError');
    expect((err as Error).message).toMatch(/remediate: .*slow down/);
  });
});

describe('notify step', () => {
  it('records the status for the notice and passes the card refs along', async () => {
    const rec = recordNotices();
    const state = stateWith(makeIncident(), 0.3);
    await createWorkflowStore(rt).addChatRef(state.incident.incident_id, {
      surface: 'slack',
      channel: 'C1',
      message_id: '1.2',
    });
    await notify(rt, { kind: 'escalated', state, execution_arn: 'arn:aws:states:us-east-1:1:execution:x:y' });
    expect((await createWorkflowStore(rt).getRecord(state.incident.incident_id))?.status).toBe('escalated');
    expect(rec.notices[0]).toMatchObject({
      kind: 'escalated',
      chat_refs: [{ surface: 'slack', channel: 'C1', message_id: '1.2' }],
      execution_arn: 'arn:aws:states:us-east-1:1:execution:x:y',
    });
    rec.reset();
  });

  it('a failure notice carries the caught error message, not the raw JSON', async () => {
    const rec = recordNotices();
    const state = stateWith(makeIncident(), 0.9);
    await notify(rt, {
      kind: 'failed',
      state,
      error: {
        Error: 'TransientError',
        Cause: JSON.stringify({ errorMessage: 'verify: CloudWatch unavailable' }),
      },
    });
    expect(rec.notices[0]?.detail).toBe('TransientError: verify: CloudWatch unavailable');
    rec.reset();
  });

  it('a silent rejection records who rejected without posting again', async () => {
    const rec = recordNotices();
    const state = stateWith(makeIncident(), 0.7);
    const out = await notify(rt, {
      kind: 'rejected',
      state,
      silent: true,
      error: { Error: 'ApprovalRejected', Cause: JSON.stringify({ decided_by: 'U1', reason: 'peak hours' }) },
    });
    expect(out.approval).toEqual({ status: 'rejected', decided_by: 'U1', reason: 'peak hours' });
    expect(rec.notices).toEqual([]);
    expect((await createWorkflowStore(rt).getRecord(state.incident.incident_id))?.status).toBe('rejected');
    rec.reset();
  });

  it('without an in-process notifier, notices go to the bot worker Lambda asynchronously', async () => {
    const worker = await makeRuntime({ BOT_WORKER_FUNCTION_NAME: 'bdp-bot-worker' });
    try {
      worker.aws.lambda.addFunction('bdp-bot-worker');
      const state = stateWith(makeIncident(), 0.3);
      await notify(worker, { kind: 'analyzed', state });
      const inv = worker.aws.lambda.invocations.filter((i) => i.function_name === 'bdp-bot-worker');
      expect(inv).toHaveLength(1);
      expect(inv[0]?.payload).toMatchObject({ type: 'notice', notice: { kind: 'analyzed' } });
    } finally {
      await worker.aws.close();
    }
  });
});
