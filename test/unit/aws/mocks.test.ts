import { MockCloudWatch } from '../../../providers/aws/cloudwatch/mock';
import { MockEventBridge } from '../../../providers/aws/eventbridge/mock';
import { MockLambda } from '../../../providers/aws/lambda/mock';
import { MockCloudWatchLogs } from '../../../providers/aws/logs/mock';
import { MockObjectStore } from '../../../providers/aws/s3/mock';
import { MockSecrets } from '../../../providers/aws/secrets/mock';
import { MockStepFunctions } from '../../../providers/aws/sfn/mock';

const t0 = Date.parse('2026-11-26T06:00:00Z');
const min = 60_000;
const metric = {
  namespace: 'AWS/Lambda',
  metric_name: 'Errors',
  dimensions: { FunctionName: 'payments-api' },
};

describe('MockCloudWatch', () => {
  it('aggregates raw datapoints per period by statistic, oldest first, only periods with data', async () => {
    const cw = new MockCloudWatch();
    cw.seed([
      { ...metric, value: 1, timestamp: new Date(t0 + 1 * min) },
      { ...metric, value: 5, timestamp: new Date(t0 + 2 * min) },
      { ...metric, value: 3, timestamp: new Date(t0 + 11 * min) },
      // Different dimensions: another metric.
      { ...metric, dimensions: { FunctionName: 'other' }, value: 100, timestamp: new Date(t0 + 1 * min) },
    ]);
    const q = { ...metric, period_seconds: 300, start: new Date(t0), end: new Date(t0 + 30 * min) };
    expect(await cw.getMetric({ ...q, stat: 'Sum' })).toEqual({
      timestamps: [new Date(t0).toISOString(), new Date(t0 + 10 * min).toISOString()],
      values: [6, 3],
    });
    expect((await cw.getMetric({ ...q, stat: 'Average' })).values).toEqual([3, 3]);
    expect((await cw.getMetric({ ...q, stat: 'Maximum' })).values).toEqual([5, 3]);
    expect((await cw.getMetric({ ...q, stat: 'SampleCount' })).values).toEqual([2, 1]);
    expect((await cw.getMetric({ ...q, stat: 'p50' })).values).toEqual([1, 3]);
    await expect(cw.getMetric({ ...q, stat: 'Median' })).rejects.toMatchObject({ kind: 'validation' });
    await expect(cw.getMetric({ ...q, stat: 'Sum', period_seconds: 7 })).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('period_seconds'),
    });
  });

  it('putMetricData without a timestamp uses the mock clock', async () => {
    const cw = new MockCloudWatch(() => new Date(t0));
    await cw.putMetricData([{ ...metric, value: 2 }]);
    expect(cw.datapoints(metric.namespace, metric.metric_name, metric.dimensions)).toEqual([
      { timestamp: new Date(t0), value: 2 },
    ]);
  });

  it('the band learns from earlier points: a steady series stays inside, a spike falls outside', async () => {
    const cw = new MockCloudWatch();
    // 60 five-minute periods of 2 ± 1 errors, then a spike of 40.
    const data = Array.from({ length: 60 }, (_, i) => ({
      ...metric,
      value: 2 + (i % 3) - 1,
      timestamp: new Date(t0 + i * 5 * min),
    }));
    data.push({ ...metric, value: 40, timestamp: new Date(t0 + 60 * 5 * min) });
    cw.seed(data);
    const q = { ...metric, stat: 'Sum', period_seconds: 300, band_width: 2 };
    const s = await cw.getMetricWithBand({
      ...q,
      start: new Date(t0 + 50 * 5 * min),
      end: new Date(t0 + 61 * 5 * min),
    });
    expect(s.values).toHaveLength(11);
    const outside = s.values.map((v, i) => v < s.lower[i]! || v > s.upper[i]!);
    expect(outside).toEqual([...Array(10).fill(false), true]);
    // Deterministic: the same question gives the same band.
    expect(
      await cw.getMetricWithBand({
        ...q,
        start: new Date(t0 + 50 * 5 * min),
        end: new Date(t0 + 61 * 5 * min),
      }),
    ).toEqual(s);
  });

  it('an untrained band (no history) never flags a point', async () => {
    const cw = new MockCloudWatch();
    cw.seed([{ ...metric, value: 1000, timestamp: new Date(t0) }]);
    const s = await cw.getMetricWithBand({
      ...metric,
      stat: 'Sum',
      period_seconds: 60,
      band_width: 2,
      start: new Date(t0),
      end: new Date(t0 + min),
    });
    expect(s.lower[0]).toBeLessThan(1000);
    expect(s.upper[0]).toBeGreaterThan(1000);
  });

  it('failNext fails the next n calls with the given kind', async () => {
    const cw = new MockCloudWatch();
    cw.failNext('GetMetricData', 'throttled', 1);
    const q = { ...metric, stat: 'Sum', period_seconds: 60, start: new Date(t0), end: new Date(t0 + min) };
    await expect(cw.getMetric(q)).rejects.toMatchObject({ kind: 'throttled', operation: 'GetMetricData' });
    await expect(cw.getMetric(q)).resolves.toEqual({ timestamps: [], values: [] });
  });
});

describe('MockCloudWatchLogs', () => {
  const logs = new MockCloudWatchLogs();
  const group = '/aws/lambda/payments-api';
  logs.putLogEvents(group, [
    { timestamp: t0, message: 'INFO started' },
    { timestamp: t0 + 1, message: 'ERROR Task timed out after 30.00 seconds' },
    { timestamp: t0 + 2, message: 'WARN retrying request' },
    { timestamp: t0 + 3, message: 'ERROR OutOfMemory: heap' },
    { timestamp: t0 + 4, message: 'error lower-case' },
  ]);
  const q = (filter_pattern: string) =>
    logs
      .filterEvents({ log_group: group, filter_pattern, start: new Date(t0), end: new Date(t0 + 10) })
      .then((es) => es.map((e) => e.message));

  it('supports plain terms (all present, case-sensitive), quoted phrases, ?any and -exclude', async () => {
    expect(await q('ERROR')).toEqual(['ERROR Task timed out after 30.00 seconds', 'ERROR OutOfMemory: heap']);
    expect(await q('ERROR timed')).toEqual(['ERROR Task timed out after 30.00 seconds']);
    expect(await q('"Task timed out"')).toEqual(['ERROR Task timed out after 30.00 seconds']);
    expect(await q('?WARN ?OutOfMemory')).toEqual(['WARN retrying request', 'ERROR OutOfMemory: heap']);
    expect(await q('ERROR -OutOfMemory')).toEqual(['ERROR Task timed out after 30.00 seconds']);
    expect(await q('')).toHaveLength(5);
  });

  it('honours the time range and the limit, and rejects patterns it does not support', async () => {
    const es = await logs.filterEvents({
      log_group: group,
      filter_pattern: '',
      start: new Date(t0 + 1),
      end: new Date(t0 + 3),
      limit: 2,
    });
    expect(es.map((e) => e.timestamp)).toEqual([t0 + 1, t0 + 2]);
    await expect(q('{ $.level = "ERROR" }')).rejects.toMatchObject({ kind: 'validation' });
    await expect(
      logs.filterEvents({ log_group: '/nope', filter_pattern: '', start: new Date(0), end: new Date() }),
    ).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('runs the documented Insights subset', async () => {
    const run = (query: string) =>
      logs.insightsQuery({ log_groups: [group], query, start: new Date(t0), end: new Date(t0 + 10) });
    expect(
      await run(
        'fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 1',
      ),
    ).toEqual([{ '@timestamp': '2026-11-26 06:00:00.003', '@message': 'ERROR OutOfMemory: heap' }]);
    expect(await run('filter @message like /error/i | stats count(*) as errors')).toEqual([{ errors: '3' }]);
    expect(await run('filter @message not like "ERROR" | fields @message | sort @timestamp asc')).toEqual([
      { '@message': 'INFO started' },
      { '@message': 'WARN retrying request' },
      { '@message': 'error lower-case' },
    ]);
    expect(await run('stats count(*) by bin(5m)')).toEqual([
      { 'bin(5m)': '2026-11-26 06:00:00.000', 'count(*)': '5' },
    ]);
    await expect(run('parse @message "* *" as a, b')).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('MockStepFunctions', () => {
  const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:bdp-main';

  it('hands new executions to onStartExecution and is idempotent for the same name and input', async () => {
    const sfn = new MockStepFunctions();
    const seen: string[] = [];
    sfn.onStartExecution((e) => {
      seen.push(e.name);
    });
    const a = await sfn.startExecution(arn, { x: 1 }, 'run-1');
    expect(a.execution_arn).toBe('arn:aws:states:us-east-1:123456789012:execution:bdp-main:run-1');
    expect(await sfn.startExecution(arn, { x: 1 }, 'run-1')).toEqual(a);
    await expect(sfn.startExecution(arn, { x: 2 }, 'run-1')).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('ExecutionAlreadyExists'),
    });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['run-1']);
    await expect(sfn.startExecution('not-an-arn', {})).rejects.toMatchObject({ kind: 'validation' });
  });

  it('waitForToken resolves on sendTaskSuccess/Failure; a token settles once', async () => {
    const sfn = new MockStepFunctions();
    const token = sfn.createTaskToken();
    const waiting = sfn.waitForToken(token);
    await sfn.sendTaskHeartbeat(token);
    await sfn.sendTaskSuccess(token, { approved: true, by: 'U1' });
    await expect(waiting).resolves.toEqual({ status: 'success', output: { approved: true, by: 'U1' } });
    expect(sfn.heartbeats(token)).toBe(1);
    await expect(sfn.sendTaskFailure(token, 'Rejected', 'late')).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('TaskTimedOut'),
    });

    const other = sfn.createTaskToken();
    const failed = sfn.waitForToken(other);
    await sfn.sendTaskFailure(other, 'Rejected', 'declined by U2');
    await expect(failed).resolves.toEqual({ status: 'failure', error: 'Rejected', cause: 'declined by U2' });
  });

  it('an unknown token fails like the service (TaskDoesNotExist); an empty one is InvalidToken', async () => {
    const sfn = new MockStepFunctions();
    await expect(sfn.sendTaskSuccess('never-issued', {})).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('TaskDoesNotExist'),
    });
    await expect(sfn.sendTaskHeartbeat('')).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('InvalidToken'),
    });
  });
});

describe('other mocks', () => {
  it('MockLambda records async invocations and tells subscribers after the call returns', async () => {
    const lambda = new MockLambda(() => new Date(t0));
    lambda.addFunction('bdp-bot-worker');
    const got: unknown[] = [];
    lambda.onInvoke((inv) => {
      got.push(inv.payload);
    });
    await lambda.invokeAsync('bdp-bot-worker', { job: 1 });
    expect(got).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([{ job: 1 }]);
    expect(lambda.invocations).toEqual([
      { function_name: 'bdp-bot-worker', payload: { job: 1 }, at: new Date(t0) },
    ]);
    await expect(lambda.invokeAsync('missing', {})).rejects.toMatchObject({ kind: 'not_found' });
    await expect(lambda.updateFunction('bdp-bot-worker', { memory_mb: 64 })).rejects.toMatchObject({
      kind: 'validation',
    });
  });

  it('MockEventBridge records events with their time and notifies subscribers', async () => {
    const events = new MockEventBridge(() => new Date(t0));
    const got: string[] = [];
    const off = events.subscribe((e) => {
      got.push(e.detail_type);
    });
    await events.putEvents([
      { source: 'bdp.agent', detail_type: 'PAUSE_INGESTION', detail: { stream: 'orders' } },
    ]);
    await new Promise((r) => setImmediate(r));
    off();
    await events.putEvents([{ source: 'bdp.agent', detail_type: 'RESUME_INGESTION', detail: {} }]);
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['PAUSE_INGESTION']);
    expect(events.published.map((e) => [e.detail_type, e.time])).toEqual([
      ['PAUSE_INGESTION', new Date(t0)],
      ['RESUME_INGESTION', new Date(t0)],
    ]);
  });

  it('MockObjectStore serves in-memory objects and mounted folders; MockSecrets serves a map', async () => {
    const s3 = new MockObjectStore();
    s3.putObject('kb', 'runbooks/lambda-timeout.md', '# Lambda timeout');
    s3.mountFolder('local-kb', __dirname);
    expect(await s3.list('kb', 'runbooks/')).toEqual(['runbooks/lambda-timeout.md']);
    expect(await s3.getText('kb', 'runbooks/lambda-timeout.md')).toBe('# Lambda timeout');
    expect(await s3.list('local-kb', 'mocks.')).toEqual(['mocks.test.ts']);
    expect(await s3.getText('local-kb', 'mocks.test.ts')).toContain('MockObjectStore serves');
    await expect(s3.getText('kb', 'nope.md')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(s3.list('no-bucket', '')).rejects.toMatchObject({ kind: 'not_found' });

    const secrets = new MockSecrets({ 'bdp/slack': '{"token":"xoxb"}' });
    expect(await secrets.getSecret('bdp/slack')).toBe('{"token":"xoxb"}');
    secrets.failNext('GetSecretValue', 'access_denied');
    await expect(secrets.getSecret('bdp/slack')).rejects.toMatchObject({ kind: 'access_denied' });
    await expect(secrets.getSecret('other')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
