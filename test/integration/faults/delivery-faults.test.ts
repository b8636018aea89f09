// Chat delivery and apply-type faults (test/faults/delivery.ts): each must end with exactly one card per
// incident, nothing unposted, and nothing done twice (lost 0, double_actions 0).
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { runFault } from '../../faults/catalogue';
import { deliveryFaults } from '../../faults/delivery';

// The Teams case waits out botbuilder's own retries of every refused POST (~50 s on a busy machine).
jest.setTimeout(180_000);

test('the delivery faults the issue lists are in the catalogue', () => {
  expect(deliveryFaults.map((f) => f.id).sort()).toEqual(
    [
      'chat-ref-write-lost',
      'detect-retried-after-dedup',
      'notice-lost-approval-retried',
      'slack-post-5xx-then-recovers',
      'static-parameter-needs-reboot',
      'teams-post-fails-then-recovers',
    ].sort(),
  );
});

test.each(deliveryFaults.map((f) => [f.id, f] as const))(
  '%s is survived, 0 lost, 0 double actions',
  async (_id, fault) => {
    const r = await runFault(fault);
    const failed = Object.entries(r.checks)
      .filter(([, ok]) => !ok)
      .map(([k]) => k);
    expect({ id: r.id, detail: r.detail, failed }).toEqual({ id: r.id, detail: r.detail, failed: [] });
    expect(r).toMatchObject({ injected: true, survived: true, data_lost: false, lost: 0, double_actions: 0 });
  },
);
