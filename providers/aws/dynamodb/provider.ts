import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config';
import { awsCall } from '../shared/errors';
import {
  AwsProviderError,
  type Condition,
  type DynamoProvider,
  type Item,
  type TableKey,
  type WriteResult,
} from '../types';
import { expiresAt, TABLES, type TableDefinition, tableName } from './tables';

/** Pages a query or scan may read before it stops (bounded work per call). */
const MAX_PAGES = 50;

const isConditionFailure = (e: unknown) =>
  e instanceof AwsProviderError &&
  (e.cause as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/**
 * DynamoProvider on the DocumentClient. The same code runs against AWS and against dynalite (the mock):
 * only the client's endpoint differs. Conditional writes that lose come back as `condition_failed`.
 * `put` adds the table's TTL attribute (`expires_at`, epoch seconds) when the item has none.
 */
export class DocumentDynamoProvider implements DynamoProvider {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly config: Pick<Config, TableDefinition['config_name']>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  tableName(table: TableKey): string {
    return tableName(this.config, table);
  }

  async put(table: TableKey, item: Item, condition?: Condition): Promise<WriteResult> {
    const def = TABLES[table];
    const full =
      def.ttl_attribute in item ? item : { ...item, [def.ttl_attribute]: expiresAt(table, this.now()) };
    return this.write(() =>
      awsCall('dynamodb', 'PutItem', (abortSignal) =>
        this.doc.send(
          new PutCommand({ TableName: this.tableName(table), Item: full, ...conditionInput(condition) }),
          { abortSignal },
        ),
      ).then(() => ({ ok: true as const, attributes: full })),
    );
  }

  async get(table: TableKey, key: Item): Promise<Item | undefined> {
    const out = await awsCall('dynamodb', 'GetItem', (abortSignal) =>
      this.doc.send(new GetCommand({ TableName: this.tableName(table), Key: key, ConsistentRead: true }), {
        abortSignal,
      }),
    );
    return out.Item;
  }

  async update(
    table: TableKey,
    key: Item,
    update: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> },
    condition?: Condition,
  ): Promise<WriteResult> {
    const names = { ...update.names, ...condition?.names };
    const values = { ...update.values, ...condition?.values };
    return this.write(async () => {
      const out = await awsCall('dynamodb', 'UpdateItem', (abortSignal) =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName(table),
            Key: key,
            UpdateExpression: update.expression,
            ...(condition ? { ConditionExpression: condition.expression } : {}),
            ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
            ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
            ReturnValues: 'ALL_NEW',
          }),
          { abortSignal },
        ),
      );
      return { ok: true as const, ...(out.Attributes ? { attributes: out.Attributes } : {}) };
    });
  }

  async delete(table: TableKey, key: Item, condition?: Condition): Promise<WriteResult> {
    return this.write(async () => {
      const out = await awsCall('dynamodb', 'DeleteItem', (abortSignal) =>
        this.doc.send(
          new DeleteCommand({
            TableName: this.tableName(table),
            Key: key,
            ...conditionInput(condition),
            ReturnValues: 'ALL_OLD',
          }),
          { abortSignal },
        ),
      );
      return { ok: true as const, ...(out.Attributes ? { attributes: out.Attributes } : {}) };
    });
  }

  async query(
    table: TableKey,
    q: {
      partition_value: unknown;
      sort?: { op: 'begins_with' | 'between' | '>=' | '<='; value: unknown; value2?: unknown };
      newest_first?: boolean;
      limit?: number;
      index?: string;
    },
  ): Promise<Item[]> {
    const def = TABLES[table];
    if (q.index) {
      throw new AwsProviderError(
        'dynamodb',
        'Query',
        'validation',
        `table ${table} has no index "${q.index}"`,
      );
    }
    if (q.sort && !def.sort_key) {
      throw new AwsProviderError(
        'dynamodb',
        'Query',
        'validation',
        `table ${table} has no sort key to filter on`,
      );
    }
    const names: Record<string, string> = { '#pk': def.partition_key };
    const values: Record<string, unknown> = { ':pk': q.partition_value };
    let keyExpr = '#pk = :pk';
    if (q.sort && def.sort_key) {
      names['#sk'] = def.sort_key;
      values[':sk'] = q.sort.value;
      if (q.sort.op === 'begins_with') keyExpr += ' AND begins_with(#sk, :sk)';
      else if (q.sort.op === 'between') {
        if (q.sort.value2 === undefined)
          throw new AwsProviderError('dynamodb', 'Query', 'validation', 'between needs value2');
        values[':sk2'] = q.sort.value2;
        keyExpr += ' AND #sk BETWEEN :sk AND :sk2';
      } else keyExpr += ` AND #sk ${q.sort.op} :sk`;
    }
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await awsCall('dynamodb', 'Query', (abortSignal) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName(table),
            KeyConditionExpression: keyExpr,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: !q.newest_first,
            ConsistentRead: true,
            ...(q.limit ? { Limit: q.limit - items.length } : {}),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
          { abortSignal },
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
      if (!start || (q.limit && items.length >= q.limit)) break;
    }
    return q.limit ? items.slice(0, q.limit) : items;
  }

  async scan(table: TableKey, filter?: Condition, limit?: number): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await awsCall('dynamodb', 'Scan', (abortSignal) =>
        this.doc.send(
          new ScanCommand({
            TableName: this.tableName(table),
            ...(filter ? { FilterExpression: filter.expression } : {}),
            ...(filter?.names ? { ExpressionAttributeNames: filter.names } : {}),
            ...(filter?.values ? { ExpressionAttributeValues: filter.values } : {}),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
          { abortSignal },
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
      if (!start || (limit && items.length >= limit)) break;
    }
    return limit ? items.slice(0, limit) : items;
  }

  /** Runs a write; a lost condition becomes a value. */
  private async write(fn: () => Promise<WriteResult>): Promise<WriteResult> {
    try {
      return await fn();
    } catch (e) {
      if (isConditionFailure(e)) return { ok: false, reason: 'condition_failed' };
      throw e;
    }
  }
}

function conditionInput(condition?: Condition) {
  if (!condition) return {};
  return {
    ConditionExpression: condition.expression,
    ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
    ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
  };
}
