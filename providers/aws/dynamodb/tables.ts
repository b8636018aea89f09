import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../../config';
import type { TableKey } from '../types';

/** One DynamoDB table: where its name comes from, its key schema and how long its items live. */
export interface TableDefinition {
  key: TableKey;
  /** The config variable holding the physical table name. */
  config_name:
    | 'ANOMALY_TRACKING_TABLE'
    | 'WORKFLOW_STATE_TABLE'
    | 'REMEDIATION_HISTORY_TABLE'
    | 'AGENT_MEMORY_TABLE';
  partition_key: string;
  sort_key?: string;
  /** Epoch-seconds attribute DynamoDB TTL deletes items by. */
  ttl_attribute: 'expires_at';
  ttl_days: number;
}

/** THE table definitions: infra creates these, tests and the local workspace create the same in dynalite. */
export const TABLES: Record<TableKey, TableDefinition> = {
  anomaly_tracking: {
    key: 'anomaly_tracking',
    config_name: 'ANOMALY_TRACKING_TABLE',
    partition_key: 'signature',
    ttl_attribute: 'expires_at',
    ttl_days: 7,
  },
  workflow_state: {
    key: 'workflow_state',
    config_name: 'WORKFLOW_STATE_TABLE',
    partition_key: 'workflow_id',
    sort_key: 'timestamp',
    ttl_attribute: 'expires_at',
    ttl_days: 30,
  },
  remediation_history: {
    key: 'remediation_history',
    config_name: 'REMEDIATION_HISTORY_TABLE',
    partition_key: 'resource_id',
    sort_key: 'execution_time',
    ttl_attribute: 'expires_at',
    ttl_days: 90,
  },
  agent_memory: {
    key: 'agent_memory',
    config_name: 'AGENT_MEMORY_TABLE',
    partition_key: 'thread_id',
    sort_key: 'checkpoint_key',
    ttl_attribute: 'expires_at',
    ttl_days: 30,
  },
};

export const TABLE_KEYS = Object.keys(TABLES) as TableKey[];

export function tableName(config: Pick<Config, TableDefinition['config_name']>, key: TableKey): string {
  return config[TABLES[key].config_name];
}

/** The TTL value (epoch seconds) for an item of this table written at `from`. */
export function expiresAt(key: TableKey, from: Date): number {
  return Math.floor(from.getTime() / 1000) + TABLES[key].ttl_days * 86_400;
}

/**
 * Creates every table (on-demand billing, string keys) and waits until each is ACTIVE. For dynalite
 * and local use: in AWS the CDK stack owns the tables (and their TTL, which dynalite does not support).
 * A table that already exists is left as it is.
 */
export async function createTables(
  client: DynamoDBClient,
  config: Pick<Config, TableDefinition['config_name']>,
): Promise<void> {
  for (const def of Object.values(TABLES)) {
    const name = tableName(config, def.key);
    const keys = [def.partition_key, ...(def.sort_key ? [def.sort_key] : [])];
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: keys.map((k) => ({ AttributeName: k, AttributeType: 'S' })),
          KeySchema: keys.map((k, i) => ({ AttributeName: k, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
        }),
      );
    } catch (e) {
      if ((e as { name?: string }).name !== 'ResourceInUseException') throw e;
    }
    for (let i = 0; i < 100; i++) {
      const d = await client.send(new DescribeTableCommand({ TableName: name }));
      if (d.Table?.TableStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
