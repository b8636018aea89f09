import { emptyCheckpoint, uuid6 } from '@langchain/langgraph-checkpoint';
import { DynamoCheckpointSaver } from '../../../agent';
import { VALUE_CHUNK } from '../../../agent/memory/dynamo-saver';
import { DocumentDynamoProvider, type LocalDynamo, startLocalDynamo } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';

/** DynamoDB refuses items over 400 KB (dynalite too): a thread's values may be larger and must survive. */
const config = loadConfig({});
let local: LocalDynamo;
beforeAll(async () => {
  local = await startLocalDynamo(config);
});
afterAll(() => local.close());

const saver = () => new DynamoCheckpointSaver(new DocumentDynamoProvider(local.client, config));

it('a channel value and a pending write of 400 KB+ are stored in chunks and read back whole', async () => {
  // Log excerpts are text: 450 KB of it, more than one DynamoDB item may hold.
  const big = 'x'.repeat(450 * 1024);
  const cp = { ...emptyCheckpoint(), id: uuid6(-1) };
  cp.channel_values = { messages: big };
  cp.channel_versions = { messages: 1 };
  const cfg = { configurable: { thread_id: 'thread-big', checkpoint_ns: '' } };
  const saved = await saver().put(cfg, cp, { source: 'loop', step: 1, parents: {} }, { messages: 1 });
  await saver().putWrites(saved, [['notes', `${big}!`]], 'task-1');

  const back = await saver().getTuple(saved);
  expect(String(back?.checkpoint.channel_values.messages ?? '').length).toBe(big.length);
  expect(back?.pendingWrites).toEqual([['task-1', 'notes', `${big}!`]]);

  // No item is over the limit: the largest holds one chunk.
  const items = await new DocumentDynamoProvider(local.client, config).query('agent_memory', {
    partition_value: 'thread-big',
  });
  const sizes = items.map((i) => JSON.stringify(i).length);
  expect(Math.max(...sizes)).toBeLessThan(400 * 1024);
  expect(items.filter((i) => i.kind === 'chunk').length).toBeGreaterThanOrEqual(4);
  expect(VALUE_CHUNK).toBeLessThan(400 * 1024);
});

it('small values stay inline (one item each)', async () => {
  const cp = { ...emptyCheckpoint(), id: uuid6(-1) };
  cp.channel_values = { messages: 'hello' };
  cp.channel_versions = { messages: 1 };
  const saved = await saver().put(
    { configurable: { thread_id: 'thread-small', checkpoint_ns: '' } },
    cp,
    { source: 'loop', step: 1, parents: {} },
    { messages: 1 },
  );
  expect((await saver().getTuple(saved))?.checkpoint.channel_values.messages).toBe('hello');
  const items = await new DocumentDynamoProvider(local.client, config).query('agent_memory', {
    partition_value: 'thread-small',
  });
  expect(items.some((i) => i.kind === 'chunk')).toBe(false);
});
