import { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../../config';
import { createTables, type TableDefinition } from './tables';

export interface LocalDynamo {
  client: DynamoDBClient;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * An in-memory dynalite server on 127.0.0.1 (random port) with every table created: the mock DynamoDB,
 * so conditional writes, key conditions and ordering behave as DynamoDB's do.
 */
export async function startLocalDynamo(
  config: Pick<Config, TableDefinition['config_name'] | 'AWS_REGION'>,
): Promise<LocalDynamo> {
  // Loaded on use so that Lambda code paths (real providers) never load the local engine.
  const dynalite: typeof import('dynalite') = require('dynalite');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: config.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
  try {
    await createTables(client, config);
  } catch (e) {
    client.destroy();
    server.close();
    throw new Error(`local DynamoDB (dynalite): creating tables failed: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return {
    client,
    endpoint,
    close: async () => {
      client.destroy();
      // Stop serving but leave the in-memory store open (it is garbage once unreferenced): dynalite's own
      // close() also closes its LevelDB, and a request already inside dynalite when a workspace stops
      // then writes to a closed store and throws outside any caller.
      await new Promise<void>((resolve) => {
        Server.prototype.close.call(server, () => resolve());
        server.closeAllConnections();
      });
    },
  };
}
