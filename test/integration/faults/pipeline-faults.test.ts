// The remediation, DynamoDB, approval and Slack faults of the shared catalogue: each must be
// survived — the person is told the truth, nothing acts twice, nothing is lost, a defined end state.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { FAULTS } from '../../faults/catalogue';
import { deliveryFaults } from '../../faults/delivery';
import { expectSurvived } from './expect-survived';

jest.setTimeout(60_000);

test('the catalogue covers every fault the issue lists', () => {
  const ids = FAULTS.map((f) => f.id);
  for (const want of [
    'llm-timeout',
    'llm-http-500',
    'llm-malformed-json',
    'llm-hallucinated-action',
    'llm-out-of-policy-parameters',
    'dynamodb-claim-race',
    'slack-429-retry-after',
    'slack-5xx',
    'slack-duplicate-events',
    'slack-retried-interaction',
    'approval-100-concurrent',
    'approval-expired',
    'remediation-half-way',
    'crash-between-executed-and-recorded',
  ])
    expect(ids).toContain(want);
  for (const action of ['rds_parameter', 'lambda_restart', 'auto_scaling', 'eventbridge_event'])
    for (const kind of ['throttling', 'access-denied']) expect(ids).toContain(`aws-${kind}-${action}`);
});

// The delivery faults run in delivery-faults.test.ts (longer timeout).
const delivery = new Set(deliveryFaults.map((f) => f.id));
test.each(FAULTS.filter((f) => f.area !== 'llm' && !delivery.has(f.id)).map((f) => [f.id, f] as const))(
  '%s is survived',
  (_id, fault) => expectSurvived(fault),
);
