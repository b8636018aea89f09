process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

import { analyzeIncident, answerFollowUp, createCheckpointer, DynamoCheckpointSaver } from '../../../agent';
import { type KnowledgeBase, loadKnowledgeBase } from '../../../agent/knowledge';
import { DocumentDynamoProvider, type LocalDynamo, startLocalDynamo } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import type { IncidentState } from '../../../providers/domain';
import type { Runtime } from '../../../providers/runtime';
import { fakeRuntime, incidentFor, NOW } from './fakes';

const config = loadConfig({});
let local: LocalDynamo;
let kb: KnowledgeBase;
let rt: Runtime;
let state: IncidentState;

/** A fresh provider + checkpointer per call: what a new Lambda invocation would build. */
const freshSaver = () =>
  new DynamoCheckpointSaver(new DocumentDynamoProvider(local.client, config, () => NOW), () => NOW);

beforeAll(async () => {
  [local, kb] = await Promise.all([startLocalDynamo(config), loadKnowledgeBase({ dir: 'knowledge-base' })]);
  rt = fakeRuntime({
    metrics: { DatabaseConnections: 'above' },
    rdsLogs: [
      [
        'orders-db',
        'FATAL',
        'FATAL: remaining connection slots are reserved for non-replication superuser connections',
        30,
      ],
    ],
    history: [
      {
        resource_id: 'orders-db-params',
        execution_time: '2026-11-26T07:10:00.000Z',
        action: 'rds_parameter',
        status: 'executed',
      },
    ],
  });
  const incident = incidentFor('orders-db');
  const analysis = await analyzeIncident(rt, { incident }, { knowledge: kb });
  state = { incident, analysis, failed_attempts: [], replan_count: 0 };
});
afterAll(async () => {
  await local?.close();
});

const ask = (thread_id: string, question: string) =>
  answerFollowUp(
    rt,
    { state, thread_id, question, user: 'U123' },
    { knowledge: kb, checkpointer: freshSaver() },
  );

describe('answerFollowUp (thread mode)', () => {
  test('answers why from the incident record, citing its evidence', async () => {
    const r = await ask('C1:1700000000.000100', 'Why did this happen?');
    expect(r.answer).toMatch(/connection exhaustion/i);
    // Cited by the tool's name; a chat reader cannot open a tool_call_id.
    expect(r.answer).toMatch(/\(CloudWatch metrics\)/);
    expect(r.answer).not.toMatch(/call_\d/);
    expect(r.usage.llm_calls).toBe(1);
  });

  test('"what changed" calls get_recent_changes and cites the tool call', async () => {
    const r = await ask('C1:1700000000.000100', 'What changed before this started?');
    expect(r.answer).toMatch(/rds_parameter/);
    expect(r.answer).toMatch(/\(change history, last 24 h to 08:00 UTC\)/);
    expect(r.answer).not.toMatch(/call_\d/);
    expect(r.usage.llm_calls).toBe(2);
  });

  test('remembers the earlier turns of its thread across invocations (DynamoDB), and only of its thread', async () => {
    const r = await ask('C1:1700000000.000100', 'What did I ask earlier?');
    expect(r.answer).toBe(
      'Earlier in this thread you asked: "Why did this happen?", then "What changed before this started?".',
    );
    const other = await ask('C1:1700000000.000999', 'What did I ask earlier?');
    expect(other.answer).toBe('This is the first question in this thread.');
    // The memory is in the agent_memory table, under the thread's key.
    const items = await new DocumentDynamoProvider(local.client, config).query('agent_memory', {
      partition_value: 'C1:1700000000.000100',
    });
    expect(items.length).toBeGreaterThan(3);
    expect(items.every((i) => typeof i.expires_at === 'number')).toBe(true);
  });

  test('bad input is refused with a message naming the field', async () => {
    await expect(ask('C1:1', '   ')).rejects.toThrow(/question/);
    await expect(ask('bad thread id with spaces', 'hi')).rejects.toThrow(/thread_id/);
  });
});

describe('createCheckpointer', () => {
  test('uses DynamoDB when the runtime has a DynamoProvider', () => {
    expect(
      createCheckpointer({
        aws: { dynamo: new DocumentDynamoProvider(local.client, config) } as unknown as Runtime['aws'],
        now: () => NOW,
      }),
    ).toBeInstanceOf(DynamoCheckpointSaver);
  });

  test('deleteThread removes every item of the thread', async () => {
    const saver = freshSaver();
    await saver.deleteThread('C1:1700000000.000999');
    const left = await new DocumentDynamoProvider(local.client, config).query('agent_memory', {
      partition_value: 'C1:1700000000.000999',
    });
    expect(left).toEqual([]);
  });
});
