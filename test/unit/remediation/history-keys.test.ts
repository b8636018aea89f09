import { createRemediationHistoryStore } from '../../../pipeline/state';
import type { RemediationResult } from '../../../providers/domain';
import { makeRuntime, type TestRuntime } from '../workflow/support';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await makeRuntime();
});
afterAll(() => rt.aws.close());

const row = (execution_id: string, at: string): RemediationResult => ({
  incident_id: `inc-${execution_id}`,
  execution_id,
  resource_id: 'lambda:payments-api',
  execution_time: at,
  action: 'lambda_restart',
  parameters: { function_name: 'payments-api' },
  dry_run: false,
  status: 'executed',
  rollback_available: true,
  executed_by: 'bdp-agent',
});

it('two executions on one resource in the same millisecond keep two rows; the same execution rewrites its own', async () => {
  const history = createRemediationHistoryStore(rt);
  const at = '2026-11-26T08:00:00.000Z';
  const a = await history.record(row('exec-a', at), 'payments-api');
  const b = await history.record(row('exec-b', at), 'payments-api');
  const again = await history.record(row('exec-a', at), 'payments-api');
  expect(a.execution_time).toBe(at);
  expect(b.execution_time).toBe('2026-11-26T08:00:00.001Z');
  expect(again.execution_time).toBe(at);
  const rows = await rt.aws.dynamo.query('remediation_history', { partition_value: 'lambda:payments-api' });
  expect(rows.map((r) => [r.execution_id, r.execution_time]).sort()).toEqual([
    ['exec-a', at],
    ['exec-b', '2026-11-26T08:00:00.001Z'],
  ]);
  expect((await history.getById(b.history_id))?.execution_id).toBe('exec-b');
  expect(await history.countExecutedSince('lambda:payments-api', new Date(at))).toBe(2);
});
