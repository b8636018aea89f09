process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { type KnowledgeBase, loadKnowledgeBase } from '../../../agent/knowledge';
import { proposeRemediation, type ToolContext } from '../../../agent/tools';
import { DEFAULT_SERVICES } from '../../../providers/config/services';
import { ServiceCatalog } from '../../../providers/domain';
import { fakeRuntime } from '../agent/fakes';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await loadKnowledgeBase({ dir: 'knowledge-base' });
});

/** A deployment's own catalog (held out: names and clusters unlike the demo's naming convention). */
const CUSTOM = ServiceCatalog.parse([
  ...DEFAULT_SERVICES,
  {
    name: 'clicks-consumer',
    kind: 'ecs',
    resources: {
      scalable_targets: [{ service_namespace: 'ecs', resource_id: 'service/analytics-prod/clicks-v2' }],
    },
  },
  {
    name: 'ledger-db',
    kind: 'aurora',
    resources: { db_cluster: 'ledger-prod', parameter_group: 'orders-db-params' },
  },
]);

const ctxFor = (service: string, services = DEFAULT_SERVICES): ToolContext => ({
  rt: { ...fakeRuntime(), services },
  incident: { incident_id: 'inc-test-000001', service },
  kb,
  failedPlans: [],
});

describe('issue 14 row 1: targets belong to the incident service (when the plan is made)', () => {
  it('a payments-api incident may not restart ingest-worker, even though runbook and policy allow restarts', () => {
    const v = proposeRemediation(ctxFor('payments-api'), {
      runbook_id: 'lambda-timeout',
      action: 'lambda_restart',
      parameters: { function_name: 'ingest-worker' },
      rationale: 'the model says so',
    });
    expect(v.accepted).toBe(false);
    expect(v.problems.join(' ')).toMatch(/function "ingest-worker" does not belong to payments-api/);
  });

  it('a stream-consumer incident may not scale ingest-worker', () => {
    const v = proposeRemediation(ctxFor('stream-consumer'), {
      runbook_id: 'queue-backlog',
      action: 'auto_scaling',
      parameters: {
        resource_type: 'ecs_service',
        resource_id: 'service/bdp-cluster/ingest-worker',
        action: 'scale_out',
        amount: 2,
      },
      rationale: '',
    });
    expect(v.accepted).toBe(false);
    expect(v.problems.join(' ')).toMatch(/does not belong to stream-consumer/);
  });

  it("the service's own target is accepted and named for the card", () => {
    const v = proposeRemediation(ctxFor('payments-api'), {
      runbook_id: 'lambda-timeout',
      action: 'lambda_restart',
      parameters: { function_name: 'payments-api' },
      rationale: '',
    });
    expect(v.problems).toEqual([]);
    expect(v.accepted).toBe(true);
    expect((v.plan as { target?: string }).target).toBe('Lambda function payments-api (payments-api)');
  });

  it('runbook defaults resolve to the catalog resources, not the {{service}} naming convention', () => {
    const scaling = kb.proposals('queue-backlog', {
      name: 'clicks-consumer',
      kind: 'ecs',
      resources: CUSTOM.find((s) => s.name === 'clicks-consumer')!.resources,
    });
    expect(scaling.map((p) => p.parameters)).toEqual([
      expect.objectContaining({ resource_id: 'service/analytics-prod/clicks-v2' }),
    ]);
    // A service that owns no scalable target gets no scaling proposal at all.
    expect(
      kb.proposals('queue-backlog', {
        name: 'orders-db',
        kind: 'ecs',
        resources: DEFAULT_SERVICES[2]!.resources,
      }),
    ).toEqual([]);
  });

  it('an rds_parameter plan without a group gets the service own group from the catalog', () => {
    const v = proposeRemediation(ctxFor('orders-db'), {
      runbook_id: 'db-connection-exhaustion',
      action: 'rds_parameter',
      parameters: { parameter_name: 'max_connections', new_value: 200 },
      rationale: '',
    });
    expect(v.accepted).toBe(true);
    expect(v.plan).toMatchObject({ parameters: { parameter_group: 'orders-db-params' } });
  });
});
