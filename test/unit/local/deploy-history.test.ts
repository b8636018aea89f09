import { analyzeIncident } from '../../../agent';
import { onDemandIncident } from '../../../agent/cli';
import { DEPLOYED_DAYS_AGO, MockLambda } from '../../../providers/aws/lambda/mock';
import { loadConfig } from '../../../providers/config';
import { createRuntime } from '../../../providers/runtime';

/**
 * Deployment times come from the platform's history, not from the moment the mock started: a
 * healthy service is reported healthy (no "just deployed" blamed), and only a real change counts.
 */
it('a registered function was deployed in the past unless a deploy time is given', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');
  const lambda = new MockLambda(() => now);
  const fn = lambda.addFunction('payments-api');
  expect(Date.parse(fn.last_modified)).toBe(now.getTime() - DEPLOYED_DAYS_AGO * 86_400_000);
  expect(lambda.addFunction('x', { last_modified: '2026-12-01T11:00:00.000Z' }).last_modified).toBe(
    '2026-12-01T11:00:00.000Z',
  );
});

it('/bdp analyze of a healthy service on the mock platform finds nothing wrong (no deployment blamed)', async () => {
  const rt = await createRuntime(loadConfig({ AWS_MOCK: 'true', LLM_MOCK: 'true' }));
  try {
    const analysis = await analyzeIncident(rt, { incident: onDemandIncident('payments-api', rt.now()) });
    expect(analysis.root_cause).toMatch(/No anomalous signal/);
    expect(analysis.root_cause).not.toMatch(/deploy/i);
    expect(analysis.route).toBe('escalate');
    expect(analysis.remediation_plan.action).toBe('none');
  } finally {
    await rt.aws.close();
  }
});
