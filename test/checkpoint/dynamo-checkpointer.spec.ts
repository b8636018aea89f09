// The official contract for LangGraph checkpointers, run on DynamoCheckpointSaver over dynalite.
import { validate } from '@langchain/langgraph-checkpoint-validation';
import { DynamoCheckpointSaver } from '../../agent/memory/dynamo-saver';
import { DocumentDynamoProvider, type LocalDynamo, startLocalDynamo } from '../../providers/aws';
import { loadConfig } from '../../providers/config';

const config = loadConfig({});
let local: LocalDynamo | undefined;
let provider: DocumentDynamoProvider | undefined;

validate<DynamoCheckpointSaver>({
  checkpointerName: 'DynamoCheckpointSaver (dynalite)',
  beforeAllTimeout: 20_000,
  async beforeAll() {
    local = await startLocalDynamo(config);
  },
  async afterAll() {
    await local?.close();
  },
  async createCheckpointer() {
    // A fresh table per checkpointer keeps list() tests isolated: drop every item first.
    provider = new DocumentDynamoProvider(local!.client, config);
    for (const it of await provider.scan('agent_memory'))
      await provider.delete('agent_memory', { thread_id: it.thread_id, checkpoint_key: it.checkpoint_key });
    return new DynamoCheckpointSaver(provider);
  },
});
