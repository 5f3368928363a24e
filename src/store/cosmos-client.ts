import * as https from 'node:https';
import {
  CosmosClient,
  type CosmosClientOptions,
  type Database,
  type IndexingPolicy,
  type PartitionKeyDefinition,
  PartitionKeyDefinitionVersion,
  PartitionKeyKind,
  type PluginConfig,
} from '@azure/cosmos';
import { tracing } from '../telemetry/tracing';
import { CONTAINERS, type ContainerDefinition } from './containers';

/** Expected answers to a conditional or point operation (a race lost, an id taken, nothing there): not failures. */
const EXPECTED = new Set([404, 409, 412]);

const statusOf = (e: unknown): number | undefined => (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : undefined);

/**
 * Every network request (retries included) is reported with its status to `onRequest` (the composition root counts it
 * for the metrics: the store knows nothing of them) and, within an operation (a turn, a send, a job), is a dependency
 * span: the operation, the container and the status; never a document id or a query. `plugins` is a hidden SDK option.
 */
const observeRequests = (onRequest: (status: number | undefined) => void): PluginConfig => ({
  on: 'request',
  plugin: (context, _node, next) => {
    const describe = () => {
      const container = /\/colls\/([^/]+)/.exec(context.path ?? '')?.[1];
      const operation = String(context.operationType ?? context.method);
      return {
        name: `cosmos ${operation} ${container ?? String(context.resourceType ?? '')}`.trimEnd(),
        attributes: {
          'db.system': 'cosmosdb',
          'db.operation': operation,
          'db.name': /\/?dbs\/([^/]+)/.exec(context.path ?? '')?.[1],
          'db.cosmosdb.container': container,
          'net.peer.name': hostOf(context.endpoint),
        },
      };
    };
    return tracing.runInOperation('client', describe, async (span) => {
      try {
        const response = await next(context);
        onRequest(response.code ?? 200);
        span.set({ 'db.cosmosdb.status_code': response.code ?? 200 });
        return response;
      } catch (e) {
        const status = statusOf(e);
        onRequest(status);
        span.set({ 'db.cosmosdb.status_code': status ?? 'error' });
        if (status === undefined || !EXPECTED.has(status)) span.fail();
        throw e;
      }
    });
  },
});
const hostOf = (endpoint: string | undefined): string | undefined => {
  try {
    return endpoint ? new URL(endpoint).host : undefined;
  } catch {
    return undefined;
  }
};

/** The Entra ID credential type the SDK takes (kept as the SDK's own type, so no extra import). */
export type TokenCredential = NonNullable<CosmosClientOptions['aadCredentials']>;

export interface CosmosClientSettings {
  endpoint: string;
  key?: string;
  credential?: TokenCredential;
  /** The in-process emulator: self-signed https, a single "region", no endpoint discovery. */
  embedded?: boolean;
  /** Told the status of every network request (undefined: no answer); the metrics count them. */
  onRequest?: (status: number | undefined) => void;
}

/** How long one store request may take before it fails (and a turn answers "try again"). */
export const REQUEST_TIMEOUT_MS = 10_000;

export function createCosmosClient(options: CosmosClientSettings): CosmosClient {
  const { endpoint, key, credential, embedded } = options;
  const plugins = { plugins: [observeRequests(options.onRequest ?? (() => undefined))] } as Partial<CosmosClientOptions>;
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
    await database.containers.createIfNotExists({ id, partitionKey: partitionKeyDefinitionOf(partitionKey), indexingPolicy: indexingPolicyOf(compositeIndexes) });
  }
  return database;
}

/** One path: a plain hash key. Two or more: a hierarchical key (MultiHash, version 2), as infra declares it. */
export function partitionKeyDefinitionOf(paths: readonly string[]): PartitionKeyDefinition {
  return paths.length > 1
    ? { paths: [...paths], kind: PartitionKeyKind.MultiHash, version: PartitionKeyDefinitionVersion.V2 }
    : { paths: [...paths], kind: PartitionKeyKind.Hash, version: PartitionKeyDefinitionVersion.V2 };
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
