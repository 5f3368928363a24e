import * as https from 'node:https';
import { CosmosClient, type CosmosClientOptions, type Database } from '@azure/cosmos';
import { CONTAINERS } from './containers';

/** The Entra ID credential type the SDK takes (kept as the SDK's own type, so no extra import). */
export type TokenCredential = NonNullable<CosmosClientOptions['aadCredentials']>;

export interface CosmosClientSettings {
  endpoint: string;
  key?: string;
  credential?: TokenCredential;
  /** The in-process emulator: self-signed https, a single "region", no endpoint discovery. */
  embedded?: boolean;
}

export function createCosmosClient(options: CosmosClientSettings): CosmosClient {
  const { endpoint, key, credential, embedded } = options;
  if (!key && !credential) throw new Error('Cosmos DB needs a key or a credential');
  const auth: Pick<CosmosClientOptions, 'key' | 'aadCredentials'> = key ? { key } : { aadCredentials: credential };
  if (!embedded) return new CosmosClient({ endpoint, ...auth });
  return new CosmosClient({
    endpoint,
    ...auth,
    // Keep-alive matters: without it the embedded server is ~7x slower. Its certificate is self-signed.
    agent: new https.Agent({ keepAlive: true, rejectUnauthorized: false }),
    connectionPolicy: { enableEndpointDiscovery: false },
  });
}

/**
 * Creates the database and every container in CONTAINERS when absent; returns the database.
 * createIfNotExists reads first, so with Entra ID (data-plane RBAC cannot create resources) this
 * succeeds as long as infra already created them, and fails loudly on a missing one.
 */
export async function ensureDatabase(client: CosmosClient, databaseId: string): Promise<Database> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  for (const { id, partitionKey } of CONTAINERS) {
    await database.containers.createIfNotExists({ id, partitionKey: { paths: [partitionKey] } });
  }
  return database;
}
