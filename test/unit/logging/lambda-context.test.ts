import {
  invocationKeysOf,
  type LambdaContext,
  serviceLogger,
  withLambdaLogging,
} from '../../../providers/logging';

/** Powertools in dev mode writes through console: collect every line as JSON. */
function captureLines() {
  const lines: Record<string, unknown>[] = [];
  const spies = (['info', 'warn', 'error', 'debug', 'log'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      lines.push(JSON.parse(String(args[0])));
    }),
  );
  return {
    lines,
    restore: () => {
      for (const s of spies) s.mockRestore();
    },
  };
}

const context = (id: string): LambdaContext =>
  ({
    awsRequestId: id,
    functionName: 'bdp-notify',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bdp-notify',
    memoryLimitInMB: '512',
    callbackWaitsForEmptyEventLoop: true,
    logGroupName: '/aws/lambda/bdp-notify',
    logStreamName: 's',
    getRemainingTimeInMillis: () => 1000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as LambdaContext;

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:bdp-main-workflow:run-1';
const event = {
  kind: 'approval_requested',
  state: { incident: { incident_id: 'inc-42' }, execution_id: EXECUTION },
};

test('every line of an invocation, from every module logger, carries request id, cold start, incident and execution id; none after', async () => {
  // What the Lambda runtime sets for an on-demand environment (Powertools reads it for cold_start).
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  const a = serviceLogger('bdp-notify');
  const b = serviceLogger('bdp-approval');
  const cap = captureLines();
  try {
    const handler = withLambdaLogging(async () => {
      a.info('from the notify module');
      b.warn('from the approval module');
      // A logger made during the invocation (an LLM client's) gets the same context.
      serviceLogger('bdp-agent').info('from a logger made now');
      return 'ok';
    });
    await handler(event, context('req-1'));
    await handler(event, context('req-2'));
    a.info('outside any invocation');
  } finally {
    cap.restore();
  }
  const during = cap.lines.slice(0, 6);
  expect(during).toHaveLength(6);
  for (const line of during)
    expect(line).toMatchObject({
      incident_id: 'inc-42',
      execution_id: EXECUTION,
      function_name: 'bdp-notify',
    });
  expect(during.map((l) => l.function_request_id)).toEqual([
    'req-1',
    'req-1',
    'req-1',
    'req-2',
    'req-2',
    'req-2',
  ]);
  expect([during[0]!.cold_start, during[1]!.cold_start]).toEqual([true, true]);
  expect([during[3]!.cold_start, during[4]!.cold_start]).toEqual([false, false]);
  delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  expect(during.map((l) => l.service)).toEqual([
    'bdp-notify',
    'bdp-approval',
    'bdp-agent',
    'bdp-notify',
    'bdp-approval',
    'bdp-agent',
  ]);
  // Keys are reset after the invocation: a warm start never inherits the last incident.
  expect(cap.lines[6]).not.toHaveProperty('incident_id');
  expect(cap.lines[6]).not.toHaveProperty('execution_id');
});

test('a failed invocation also resets the keys and rethrows', async () => {
  const a = serviceLogger('bdp-remediation');
  const cap = captureLines();
  try {
    const handler = withLambdaLogging(async () => {
      a.error('failing');
      throw new Error('boom');
    });
    await expect(handler(event, context('req-3'))).rejects.toThrow('boom');
    a.info('after');
  } finally {
    cap.restore();
  }
  expect(cap.lines[0]).toMatchObject({ incident_id: 'inc-42', function_request_id: 'req-3' });
  expect(cap.lines[1]).not.toHaveProperty('incident_id');
});

test('incident and execution ids are found in every workflow and worker event shape', () => {
  const incident = { incident_id: 'inc-7' };
  // IncidentState (analyze, remediate, verify, expire-approval)
  expect(invocationKeysOf({ incident, execution_id: EXECUTION })).toEqual({
    incident_id: 'inc-7',
    execution_id: EXECUTION,
  });
  // notify / request-approval input: { kind, state, execution_arn }
  expect(invocationKeysOf({ kind: 'x', state: { incident }, execution_arn: EXECUTION })).toEqual({
    incident_id: 'inc-7',
    execution_id: EXECUTION,
  });
  // worker notice job
  expect(
    invocationKeysOf({ type: 'notice', notice: { state: { incident, execution_id: EXECUTION } } }),
  ).toEqual({
    incident_id: 'inc-7',
    execution_id: EXECUTION,
  });
  // detect's scheduled event names neither
  expect(invocationKeysOf({})).toEqual({ incident_id: undefined, execution_id: undefined });
});
