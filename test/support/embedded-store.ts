import { randomUUID } from 'node:crypto';
import type { CosmosClient, Database } from '@azure/cosmos';
import { startEmbeddedCosmos } from '../../src/local/embedded-cosmos';
import type { Store } from '../../src/ports/store.port';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { openCosmosStore } from '../../src/store/cosmos-store';

export interface TestStore {
  store: Store;
  database: Database;
  client: CosmosClient;
  endpoint: string;
  key: string;
  stop(): Promise<void>;
}

/** An embedded Cosmos server on a random port with a store in a fresh database; call in before/after. */
export async function startTestStore(): Promise<TestStore> {
  const server = await startEmbeddedCosmos();
  try {
    const client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true });
    const databaseId = `test-${randomUUID()}`;
    const store = await openCosmosStore({ client, databaseId });
    return {
      store,
      database: client.database(databaseId),
      client,
      endpoint: server.endpoint,
      key: server.key,
      stop: async () => {
        await store.close();
        await server.close();
      },
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}
