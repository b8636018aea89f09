// Thread memory for follow-up questions: a LangGraph checkpointer on DynamoDB (agent_memory table).
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { MemorySaver } from '@langchain/langgraph-checkpoint';
import type { Runtime } from '../../providers/runtime';
import { DynamoCheckpointSaver } from './dynamo-saver';

export { DynamoCheckpointSaver } from './dynamo-saver';

/**
 * The checkpointer for thread memory: DynamoDB whenever the runtime has a DynamoProvider (real in AWS,
 * dynalite under AWS_MOCK — the same semantics), so memory survives across Lambda invocations.
 * MemorySaver is only the fallback for a runtime built without DynamoDB (memory dies with the process).
 */
export function createCheckpointer(rt: Pick<Runtime, 'aws' | 'now'>): BaseCheckpointSaver {
  const dynamo = rt.aws?.dynamo;
  return dynamo ? new DynamoCheckpointSaver(dynamo, rt.now) : new MemorySaver();
}
