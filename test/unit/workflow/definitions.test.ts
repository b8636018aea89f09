import {
  buildApprovalWorkflow,
  buildMainWorkflow,
  type WorkflowResources,
  workflowOptionsFromConfig,
} from '../../../infra/workflow';
import { loadConfig } from '../../../providers/config';

// asl-validator 4 ships no types and mutates what it is given.
const aslValidator = require('asl-validator') as (
  def: unknown,
  opts?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errorsText: (sep?: string) => string };

const arn = (n: string) => `arn:aws:lambda:eu-west-1:123456789012:function:bdp-${n}`;
const resources: WorkflowResources = {
  detect: arn('detect'),
  analyze: arn('analyze'),
  notify: arn('notify'),
  requestApproval: arn('request-approval'),
  expireApproval: arn('expire-approval'),
  remediate: arn('remediate'),
  verify: arn('verify'),
};

function validate(def: object) {
  const r = aslValidator(structuredClone(def), { checkArn: true, checkPaths: true });
  return { ok: r.isValid, errors: r.isValid ? '' : r.errorsText('\n') };
}

type Choice = { Variable: string; NumericGreaterThanEquals?: number; NumericLessThan?: number; Next: string };

describe('workflow definitions', () => {
  const config = loadConfig({});
  const main = buildMainWorkflow(workflowOptionsFromConfig(config, resources));
  const iteration = (
    main.States.ProcessIncidents as { ItemProcessor: { States: Record<string, Record<string, unknown>> } }
  ).ItemProcessor.States;

  it('both definitions are valid ASL', () => {
    expect(validate(main)).toEqual({ ok: true, errors: '' });
    expect(validate(buildApprovalWorkflow(workflowOptionsFromConfig(config, resources)))).toEqual({
      ok: true,
      errors: '',
    });
  });

  it('routes on the thresholds from config, inclusive at each boundary', () => {
    const choices = (iteration.Route as { Choices: Choice[] }).Choices;
    const byConfidence = (next: string) =>
      choices.find((c) => c.Next === next && c.Variable === '$.analysis.confidence_score');
    expect(byConfidence('Execute')?.NumericGreaterThanEquals).toBe(0.85);
    expect(byConfidence('RequestApproval')?.NumericGreaterThanEquals).toBe(0.5);
    // A route the analysis capped at approval (issue 14 row 4) is asked before confidence can run it.
    const capped = choices.findIndex(
      (c) => c.Variable === '$.analysis.route' && c.Next === 'RequestApproval',
    );
    expect(capped).toBeGreaterThanOrEqual(0);
    expect(capped).toBeLessThan(choices.indexOf(byConfidence('Execute')!));
    expect((iteration.Route as { Default: string }).Default).toBe('Escalate');

    const custom = buildMainWorkflow(
      workflowOptionsFromConfig(
        loadConfig({ AUTO_EXECUTE_THRESHOLD: '0.9', APPROVAL_THRESHOLD: '0.6', MAX_REPLANS: '1' }),
        resources,
      ),
    );
    const it2 = (
      custom.States.ProcessIncidents as { ItemProcessor: { States: Record<string, { Choices?: Choice[] }> } }
    ).ItemProcessor.States;
    expect(it2.Route?.Choices?.find((c) => c.Next === 'Execute')?.NumericGreaterThanEquals).toBe(0.9);
    expect(it2.Recovered?.Choices?.find((c) => c.Next === 'NotifyNotResolved')?.NumericLessThan).toBe(1);
  });

  it('waits for a person with the configured timeout, and every Lambda task retries and is caught', () => {
    const ra = iteration.RequestApproval as {
      Resource: string;
      TimeoutSeconds: number;
      Catch: { ErrorEquals: string[] }[];
    };
    expect(ra.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(ra.TimeoutSeconds).toBe(config.APPROVAL_TIMEOUT_SECONDS);
    expect(ra.Catch.map((c) => c.ErrorEquals[0])).toEqual([
      'States.Timeout',
      'ApprovalRejected',
      'States.ALL',
    ]);
    for (const [name, s] of Object.entries(iteration)) {
      if (s.Type !== 'Task' || name === 'RequestApproval') continue;
      expect({ name, retry: Array.isArray(s.Retry) }).toEqual({ name, retry: true });
      expect({ name, caught: Array.isArray(s.Catch) }).toEqual({ name, caught: true });
    }
  });
});
