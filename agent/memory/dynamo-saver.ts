import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  compareWritesSortKeys,
  copyCheckpoint,
  getCheckpointId,
  maxChannelVersion,
  type PendingWrite,
  type SerializerProtocol,
  TASKS,
  WRITES_IDX_MAP,
  writesSortKey,
} from '@langchain/langgraph-checkpoint';
import { expiresAt } from '../../providers/aws/dynamodb/tables';
import type { DynamoProvider, Item } from '../../providers/aws/types';

const TABLE = 'agent_memory' as const;
/** Characters of a base64 value kept in one item: well under DynamoDB's 400 KB item limit with the keys. */
export const VALUE_CHUNK = 300_000;

/**
 * A LangGraph checkpointer on DynamoDB (the agent_memory table: PK `thread_id`, SK `checkpoint_key`),
 * through the DynamoProvider interface, so it runs on the real table and on dynalite alike.
 *
 * Items of one thread:
 *   checkpoint  c#<ns>#<checkpoint_id>                 checkpoint without channel values + metadata (serde, base64), parent id
 *   blob        b#<ns>#<channel>#<version>                 one channel value at one version (stored when it changes)
 *   write       w#<ns>#<checkpoint_id>#<task_id>#<idx>     one pending write (channel, value, task path)
 * Channel values are stored once per version (as the Postgres saver does) and put back from
 * `channel_versions` on load, so a checkpoint item stays small however long the thread grows.
 * `ns` and `task_id` are URI-encoded so `#` inside them cannot break the key. Checkpoint ids are
 * uuid6 (time-ordered), so a descending key query lists a namespace newest first. Every item carries
 * the table's TTL attribute. An item is limited to 400 KB by DynamoDB: a larger value is spilled into
 * chunk items (see `spill`).
 */
export class DynamoCheckpointSaver extends BaseCheckpointSaver {
  constructor(
    private readonly dynamo: DynamoProvider,
    private readonly now: () => Date = () => new Date(),
    serde?: SerializerProtocol,
  ) {
    super(serde);
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId = config.configurable?.thread_id as string | undefined;
    if (threadId === undefined) return undefined;
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? '';
    const id = getCheckpointId(config);
    let item: Item | undefined;
    if (id) item = await this.dynamo.get(TABLE, { thread_id: threadId, checkpoint_key: cpKey(ns, id) });
    else
      [item] = await this.dynamo.query(TABLE, {
        partition_value: threadId,
        sort: { op: 'begins_with', value: cpPrefix(ns) },
        newest_first: true,
        limit: 1,
      });
    return item ? this.toTuple(threadId, item) : undefined;
  }

  async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    const { before, filter } = options ?? {};
    let limit = options?.limit;
    const threadId = config.configurable?.thread_id as string | undefined;
    const ns = config.configurable?.checkpoint_ns as string | undefined;
    const onlyId = config.configurable?.checkpoint_id as string | undefined;
    const beforeId = before?.configurable?.checkpoint_id as string | undefined;

    let items: Item[];
    if (threadId !== undefined)
      items = await this.dynamo.query(TABLE, {
        partition_value: threadId,
        sort: { op: 'begins_with', value: ns === undefined ? 'c#' : cpPrefix(ns) },
        newest_first: true,
      });
    else
      items = await this.dynamo.scan(TABLE, {
        expression: 'begins_with(#k, :c)',
        names: { '#k': 'checkpoint_key' },
        values: { ':c': 'c#' },
      });
    // Newest first within each thread and namespace (ids are time-ordered), as MemorySaver lists.
    items.sort(
      (a, b) =>
        cmp(String(a.thread_id), String(b.thread_id)) ||
        cmp(String(a.checkpoint_ns), String(b.checkpoint_ns)) ||
        cmp(String(b.checkpoint_id), String(a.checkpoint_id)),
    );
    for (const item of items) {
      const id = String(item.checkpoint_id);
      if (ns !== undefined && item.checkpoint_ns !== ns) continue;
      if (onlyId && id !== onlyId) continue;
      if (beforeId && id >= beforeId) continue;
      const metadata = (await this.load(item.metadata_type, item.metadata)) as CheckpointMetadata;
      if (filter && !Object.entries(filter).every(([k, v]) => (metadata as Record<string, unknown>)[k] === v))
        continue;
      if (limit !== undefined) {
        if (limit <= 0) break;
        limit -= 1;
      }
      yield await this.toTuple(String(item.thread_id), item, metadata);
    }
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const threadId = config.configurable?.thread_id as string | undefined;
    if (threadId === undefined)
      throw new Error(
        'DynamoCheckpointSaver.put: the config has no configurable.thread_id (which thread to save?)',
      );
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? '';
    const parent = config.configurable?.checkpoint_id as string | undefined;
    const copy = copyCheckpoint(checkpoint);
    const values = copy.channel_values;
    copy.channel_values = {};
    const [[cpType, cpBytes], [mdType, mdBytes]] = await Promise.all([
      this.serde.dumpsTyped(copy),
      this.serde.dumpsTyped(metadata),
    ]);
    // Only channels that changed in this step (newVersions) get a new blob; the others already have one.
    await Promise.all(
      Object.entries(newVersions).map(async ([channel, version]) => {
        if (!(channel in values)) return;
        const [type, bytes] = await this.serde.dumpsTyped(values[channel]);
        const key = blobKey(ns, channel, version);
        await this.dynamo.put(TABLE, {
          thread_id: threadId,
          checkpoint_key: key,
          kind: 'blob',
          value_type: type,
          ...(await this.spill(threadId, key, b64(bytes))),
          expires_at: expiresAt(TABLE, this.now()),
        });
      }),
    );
    await this.dynamo.put(TABLE, {
      thread_id: threadId,
      checkpoint_key: cpKey(ns, checkpoint.id),
      kind: 'checkpoint',
      checkpoint_ns: ns,
      checkpoint_id: checkpoint.id,
      ...(parent ? { parent_checkpoint_id: parent } : {}),
      checkpoint_type: cpType,
      checkpoint: b64(cpBytes),
      metadata_type: mdType,
      metadata: b64(mdBytes),
      expires_at: expiresAt(TABLE, this.now()),
    });
    return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpoint.id } };
  }

  async putWrites(
    config: RunnableConfig,
    writes: PendingWrite[],
    taskId: string,
    taskPath?: string,
  ): Promise<void> {
    const threadId = config.configurable?.thread_id as string | undefined;
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? '';
    const checkpointId = config.configurable?.checkpoint_id as string | undefined;
    if (threadId === undefined)
      throw new Error('DynamoCheckpointSaver.putWrites: the config has no configurable.thread_id');
    if (checkpointId === undefined)
      throw new Error('DynamoCheckpointSaver.putWrites: the config has no configurable.checkpoint_id');
    await Promise.all(
      writes.map(async ([channel, value], i) => {
        const idx = WRITES_IDX_MAP[channel] || i;
        const [type, bytes] = await this.serde.dumpsTyped(value);
        const key = writeKey(ns, checkpointId, taskId, idx);
        const item: Item = {
          thread_id: threadId,
          checkpoint_key: key,
          kind: 'write',
          checkpoint_ns: ns,
          checkpoint_id: checkpointId,
          task_id: taskId,
          task_path: taskPath ?? '',
          idx,
          channel,
          value_type: type,
          ...(await this.spill(threadId, key, b64(bytes))),
          expires_at: expiresAt(TABLE, this.now()),
        };
        // Regular writes are kept once (a retried task must not overwrite them); special ones (errors,
        // interrupts: negative idx) replace the previous.
        await this.dynamo.put(
          TABLE,
          item,
          idx >= 0
            ? { expression: 'attribute_not_exists(#k)', names: { '#k': 'checkpoint_key' } }
            : undefined,
        );
      }),
    );
  }

  async deleteThread(threadId: string): Promise<void> {
    const items = await this.dynamo.query(TABLE, { partition_value: threadId });
    for (const it of items)
      await this.dynamo.delete(TABLE, { thread_id: threadId, checkpoint_key: it.checkpoint_key });
  }

  private async toTuple(
    threadId: string,
    item: Item,
    metadata?: CheckpointMetadata,
  ): Promise<CheckpointTuple> {
    const ns = String(item.checkpoint_ns ?? '');
    const id = String(item.checkpoint_id);
    const checkpoint = (await this.load(item.checkpoint_type, item.checkpoint)) as Checkpoint;
    checkpoint.channel_values = await this.channelValues(threadId, ns, checkpoint.channel_versions ?? {});
    if (checkpoint.v < 4 && item.parent_checkpoint_id)
      await this.migratePendingSends(checkpoint, threadId, ns, String(item.parent_checkpoint_id));
    const tuple: CheckpointTuple = {
      config: { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: id } },
      checkpoint,
      metadata: metadata ?? ((await this.load(item.metadata_type, item.metadata)) as CheckpointMetadata),
      pendingWrites: await this.pendingWrites(threadId, ns, id),
    };
    if (item.parent_checkpoint_id)
      tuple.parentConfig = {
        configurable: {
          thread_id: threadId,
          checkpoint_ns: ns,
          checkpoint_id: String(item.parent_checkpoint_id),
        },
      };
    return tuple;
  }

  private async channelValues(
    threadId: string,
    ns: string,
    versions: ChannelVersions,
  ): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    await Promise.all(
      Object.entries(versions).map(async ([channel, version]) => {
        const blob = await this.dynamo.get(TABLE, {
          thread_id: threadId,
          checkpoint_key: blobKey(ns, channel, version),
        });
        if (blob) out[channel] = await this.load(blob.value_type, await this.readValue(threadId, blob));
      }),
    );
    return out;
  }

  /** Checkpoints before format v4 kept pending sends as writes on the parent: move them into the TASKS channel. */
  private async migratePendingSends(
    checkpoint: Checkpoint,
    threadId: string,
    ns: string,
    parentId: string,
  ): Promise<void> {
    const sends = (await this.pendingWrites(threadId, ns, parentId))
      .filter(([, ch]) => ch === TASKS)
      .map(([, , v]) => v);
    checkpoint.channel_values ??= {};
    checkpoint.channel_values[TASKS] = sends;
    checkpoint.channel_versions ??= {};
    checkpoint.channel_versions[TASKS] =
      Object.keys(checkpoint.channel_versions).length > 0
        ? maxChannelVersion(...Object.values(checkpoint.channel_versions))
        : this.getNextVersion(undefined);
  }

  /** The checkpoint's writes in writesSortKey order (task path, task id, idx), as live execution applies them. */
  private async pendingWrites(
    threadId: string,
    ns: string,
    checkpointId: string,
  ): Promise<CheckpointPendingWrite[]> {
    const items = await this.dynamo.query(TABLE, {
      partition_value: threadId,
      sort: { op: 'begins_with', value: `w#${enc(ns)}#${checkpointId}#` },
    });
    // Spilled chunks share the write's key prefix: only the write items themselves.
    const keyed = items
      .filter((it) => it.kind === 'write')
      .map((it) => ({
        key: writesSortKey(String(it.task_path ?? ''), String(it.task_id), Number(it.idx)),
        it,
      }));
    keyed.sort((a, b) => compareWritesSortKeys(a.key, b.key));
    return Promise.all(
      keyed.map(
        async ({ it }) =>
          [
            String(it.task_id),
            String(it.channel),
            await this.load(it.value_type, await this.readValue(threadId, it)),
          ] as CheckpointPendingWrite,
      ),
    );
  }

  /**
   * DynamoDB refuses items over 400 KB: a serialized value longer than VALUE_CHUNK characters is
   * spilled into chunk items (`<key>~<i>`, kind `chunk`) written first; the item keeps the count.
   */
  private async spill(threadId: string, key: string, value: string): Promise<Item> {
    if (value.length <= VALUE_CHUNK) return { value };
    const n = Math.ceil(value.length / VALUE_CHUNK);
    for (let i = 0; i < n; i++)
      await this.dynamo.put(TABLE, {
        thread_id: threadId,
        checkpoint_key: `${key}~${i}`,
        kind: 'chunk',
        value: value.slice(i * VALUE_CHUNK, (i + 1) * VALUE_CHUNK),
        expires_at: expiresAt(TABLE, this.now()),
      });
    return { value_chunks: n };
  }

  private async readValue(threadId: string, item: Item): Promise<unknown> {
    const n = Number(item.value_chunks ?? 0);
    if (!n) return item.value;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = await this.dynamo.get(TABLE, {
        thread_id: threadId,
        checkpoint_key: `${item.checkpoint_key}~${i}`,
      });
      if (typeof c?.value !== 'string')
        throw new Error(`checkpoint value ${String(item.checkpoint_key)}: chunk ${i} of ${n} is missing`);
      parts.push(c.value);
    }
    return parts.join('');
  }

  private load(type: unknown, data: unknown): Promise<unknown> {
    return this.serde.loadsTyped(String(type), Buffer.from(String(data), 'base64'));
  }
}

const enc = (s: string) => encodeURIComponent(s);
const cpPrefix = (ns: string) => `c#${enc(ns)}#`;
const cpKey = (ns: string, id: string) => `${cpPrefix(ns)}${id}`;
const blobKey = (ns: string, channel: string, version: string | number) =>
  `b#${enc(ns)}#${enc(channel)}#${enc(String(version))}`;
const writeKey = (ns: string, id: string, task: string, idx: number) =>
  `w#${enc(ns)}#${id}#${enc(task)}#${idx}`;
const b64 = (bytes: Uint8Array | string) =>
  typeof bytes === 'string'
    ? Buffer.from(bytes, 'utf8').toString('base64')
    : Buffer.from(bytes).toString('base64');
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
