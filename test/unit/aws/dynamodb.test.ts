import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { expiresAt, TABLES, tableName } from '../../../providers/aws';
import { type LocalDynamo, startLocalDynamo } from '../../../providers/aws/dynamodb/local';
import { DocumentDynamoProvider } from '../../../providers/aws/dynamodb/provider';
import { loadConfig } from '../../../providers/config';

const config = loadConfig({ WORKFLOW_STATE_TABLE: 'test-workflow-state' });
const now = new Date('2026-11-26T07:00:00Z');
let local: LocalDynamo;
let db: DocumentDynamoProvider;

beforeAll(async () => {
  local = await startLocalDynamo(config);
  db = new DocumentDynamoProvider(local.client, config, () => now);
});
afterAll(async () => {
  await local.close();
});

describe('table definitions', () => {
  it('creates every table with the key schema from TABLES, named from config', async () => {
    for (const def of Object.values(TABLES)) {
      const d = await local.client.send(new DescribeTableCommand({ TableName: tableName(config, def.key) }));
      const keys = (d.Table?.KeySchema ?? []).map((k) => `${k.KeyType}:${k.AttributeName}`);
      expect(keys).toEqual([`HASH:${def.partition_key}`, ...(def.sort_key ? [`RANGE:${def.sort_key}`] : [])]);
    }
    expect(db.tableName('workflow_state')).toBe('test-workflow-state');
  });

  it('keeps items for the documented number of days', () => {
    expect(Object.fromEntries(Object.values(TABLES).map((t) => [t.key, t.ttl_days]))).toEqual({
      anomaly_tracking: 7,
      workflow_state: 30,
      remediation_history: 90,
      agent_memory: 30,
    });
  });
});

describe('DocumentDynamoProvider on dynalite', () => {
  it('a conditional put that loses returns condition_failed instead of throwing', async () => {
    const cond = { expression: 'attribute_not_exists(signature)' };
    const first = await db.put('anomaly_tracking', { signature: 'sig-1', count: 1 }, cond);
    const second = await db.put('anomaly_tracking', { signature: 'sig-1', count: 99 }, cond);
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, reason: 'condition_failed' });
    expect(await db.get('anomaly_tracking', { signature: 'sig-1' })).toMatchObject({ count: 1 });
  });

  it('put adds the TTL attribute (epoch seconds, table TTL days ahead) unless the item has one', async () => {
    await db.put('anomaly_tracking', { signature: 'sig-ttl' });
    const item = await db.get('anomaly_tracking', { signature: 'sig-ttl' });
    expect(item?.expires_at).toBe(Math.floor(now.getTime() / 1000) + 7 * 86_400);
    expect(item?.expires_at).toBe(expiresAt('anomaly_tracking', now));
    await db.put('anomaly_tracking', { signature: 'sig-own', expires_at: 123 });
    expect((await db.get('anomaly_tracking', { signature: 'sig-own' }))?.expires_at).toBe(123);
  });

  it('update with a condition returns ALL_NEW on success and condition_failed when it loses', async () => {
    await db.put('workflow_state', { workflow_id: 'wf-1', timestamp: 'T0', phase: 'analyzing' });
    const key = { workflow_id: 'wf-1', timestamp: 'T0' };
    const set = {
      expression: 'SET #p = :p',
      names: { '#p': 'phase' },
      values: { ':p': 'awaiting_approval' },
    };
    const ok = await db.update('workflow_state', key, set, {
      expression: '#p = :from',
      names: { '#p': 'phase' },
      values: { ':from': 'analyzing' },
    });
    expect(ok).toMatchObject({ ok: true, attributes: { workflow_id: 'wf-1', phase: 'awaiting_approval' } });
    const lost = await db.update(
      'workflow_state',
      key,
      { ...set, values: { ':p': 'remediating' } },
      {
        expression: '#p = :from',
        names: { '#p': 'phase' },
        values: { ':from': 'analyzing' },
      },
    );
    expect(lost).toEqual({ ok: false, reason: 'condition_failed' });
    expect((await db.get('workflow_state', key))?.phase).toBe('awaiting_approval');
  });

  it('query returns newest first when asked, honours sort conditions and limits', async () => {
    for (const t of ['2026-11-26T05:00:00Z', '2026-11-26T06:00:00Z', '2026-11-26T07:00:00Z']) {
      await db.put('remediation_history', {
        resource_id: 'lambda:payments-api',
        execution_time: t,
        action: 'lambda_restart',
      });
    }
    await db.put('remediation_history', { resource_id: 'other', execution_time: '2026-11-26T06:30:00Z' });
    const newest = await db.query('remediation_history', {
      partition_value: 'lambda:payments-api',
      newest_first: true,
      limit: 2,
    });
    expect(newest.map((i) => i.execution_time)).toEqual(['2026-11-26T07:00:00Z', '2026-11-26T06:00:00Z']);
    const since = await db.query('remediation_history', {
      partition_value: 'lambda:payments-api',
      sort: { op: '>=', value: '2026-11-26T06:00:00Z' },
    });
    expect(since.map((i) => i.execution_time)).toEqual(['2026-11-26T06:00:00Z', '2026-11-26T07:00:00Z']);
    const between = await db.query('remediation_history', {
      partition_value: 'lambda:payments-api',
      sort: { op: 'between', value: '2026-11-26T05:30:00Z', value2: '2026-11-26T06:30:00Z' },
    });
    expect(between).toHaveLength(1);
  });

  it('delete with a condition, and scan with a filter', async () => {
    await db.put('agent_memory', { thread_id: 'th-1', checkpoint_key: 'a', kind: 'checkpoint' });
    await db.put('agent_memory', { thread_id: 'th-1', checkpoint_key: 'b', kind: 'write' });
    const scanned = await db.scan('agent_memory', {
      expression: '#k = :k',
      names: { '#k': 'kind' },
      values: { ':k': 'write' },
    });
    expect(scanned.map((i) => i.checkpoint_key)).toEqual(['b']);
    const lost = await db.delete(
      'agent_memory',
      { thread_id: 'th-1', checkpoint_key: 'a' },
      { expression: 'attribute_not_exists(thread_id)' },
    );
    expect(lost).toEqual({ ok: false, reason: 'condition_failed' });
    const ok = await db.delete('agent_memory', { thread_id: 'th-1', checkpoint_key: 'a' });
    expect(ok).toMatchObject({ ok: true, attributes: { kind: 'checkpoint' } });
    expect(await db.get('agent_memory', { thread_id: 'th-1', checkpoint_key: 'a' })).toBeUndefined();
  });

  it('a malformed expression is a validation error naming the operation, not condition_failed', async () => {
    await expect(
      db.put('anomaly_tracking', { signature: 'x' }, { expression: 'attribute_not_exists(' }),
    ).rejects.toMatchObject({
      service: 'dynamodb',
      operation: 'PutItem',
      kind: 'validation',
    });
  });
});
