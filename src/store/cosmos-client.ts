import * as https from 'node:https';
import { CosmosClient, type CosmosClientOptions, type Database, type IndexingPolicy, type PluginConfig } from '@azure/cosmos';
import { recordCosmosRequest } from '../metrics/metrics';
import { CONTAINERS, type ContainerDefinition } from './containers';

/** Counts every network request (retries included) and its status for the metrics; `plugins` is a hidden SDK option. */
const countRequests: PluginConfig = {
  on: 'request',
  plugin: async (context, node, next) => {
    try {
      const response = await next(context);
      recordCosmosRequest(response.code ?? 200);
      return response;
    } catch (e) {
      recordCosmosRequest(typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : undefined);
      throw e;
    }
  },
};
const plugins = { plugins: [countRequests] } as Partial<CosmosClientOptions>;

/** The Entra ID credential type the SDK takes (kept as the SDK's own type, so no extra import). */
export type TokenCredential = NonNullable<CosmosClientOptions['aadCredentials']>;

export interface CosmosClientSettings {
  endpoint: string;
  key?: string;
  credential?: TokenCredential;
  /** The in-process emulator: self-signed https, a single "region", no endpoint discovery. */
  embedded?: boolean;
}

/** How long one store request may take before it fails (and a turn answers "try again"). */
export const REQUEST_TIMEOUT_MS = 10_000;

export function createCosmosClient(options: CosmosClientSettings): CosmosClient {
  const { endpoint, key, credential, embedded } = options;
  if (!key && !credential) throw new Error('Cosmos DB needs a key or a credential');
  const auth: Pick<CosmosClientOptions, 'key' | 'aadCredentials'> = key ? { key } : { aadCredentials: credential };
  // A store request that hangs must not hold a turn past what Teams waits for a reply (~15 s): the SDK's default is 60 s.
  if (!embedded) return new CosmosClient({ endpoint, ...auth, ...plugins, connectionPolicy: { requestTimeout: REQUEST_TIMEOUT_MS } });
  return new CosmosClient({
    endpoint,
    ...auth,
    ...plugins,
    // Keep-alive matters: without it the embedded server is ~7x slower. Its certificate is self-signed.
    agent: new https.Agent({ keepAlive: true, rejectUnauthorized: false }),
    connectionPolicy: { enableEndpointDiscovery: false, requestTimeout: REQUEST_TIMEOUT_MS },
  });
}

/**
 * Creates the database and every container in CONTAINERS when absent; returns the database.
 * createIfNotExists reads first, so with Entra ID (data-plane RBAC cannot create resources) this
 * succeeds as long as infra already created them, and fails loudly on a missing one.
 */
export async function ensureDatabase(client: CosmosClient, databaseId: string): Promise<Database> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  for (const { id, partitionKey, compositeIndexes } of CONTAINERS as readonly ContainerDefinition[]) {
    await database.containers.createIfNotExists({ id, partitionKey: { paths: [partitionKey] }, indexingPolicy: indexingPolicyOf(compositeIndexes) });
  }
  return database;
}

/**
 * The default policy (every path range-indexed, consistent) plus the container's composite indexes;
 * undefined (the service default) when it has none. createIfNotExists does not change the policy of an
 * existing container: infra must apply a new composite index to a deployed one.
 */
function indexingPolicyOf(compositeIndexes: ContainerDefinition['compositeIndexes']): IndexingPolicy | undefined {
  if (!compositeIndexes?.length) return undefined;
  return {
    indexingMode: 'consistent',
    automatic: true,
    includedPaths: [{ path: '/*' }],
    excludedPaths: [{ path: '/"_etag"/?' }],
    compositeIndexes: compositeIndexes.map((index) => index.map(({ path, order }) => ({ path, order }))),
  };
}
