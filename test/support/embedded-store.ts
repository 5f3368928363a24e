import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CosmosClient, Database } from '@azure/cosmos';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { sweepExpired } from '../../src/local/expiry-sweep';
import type { Clock } from '../../src/ports/clock.port';
import type { Store } from '../../src/ports/store.port';
import { recordCosmosRequest } from '../../src/metrics/metrics';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { openCosmosStore } from '../../src/store/cosmos-store';

export interface TestStore {
  store: Store;
  database: Database;
  client: CosmosClient;
  endpoint: string;
  key: string;
  /** Document writes the server has received so far, by container (reads and queries are not counted). */
  writes: WriteCount;
  /** The largest logical partition the server accepts (Azure's 20 GB until a test lowers it). */
  partitionLimit: EmbeddedCosmos['partitionLimit'];
  stop(): Promise<void>;
}

export class WriteCount {
  readonly byContainer = new Map<string, number>();
  /** Of those, the deletes. */
  readonly deletesByContainer = new Map<string, number>();
  /** All writes, or those to containers other than `except`. */
  total(except: readonly string[] = []): number {
    let n = 0;
    for (const [container, count] of this.byContainer) if (!except.includes(container)) n += count;
    return n;
  }
}

/** Counts the document writes `server` receives from now on. */
export function countWrites(server: EmbeddedCosmos): WriteCount {
  const writes = new WriteCount();
  server.onRequest((req) => {
    const container = writtenContainer(req);
    if (container === undefined) return;
    writes.byContainer.set(container, (writes.byContainer.get(container) ?? 0) + 1);
    if (req.method === 'DELETE') writes.deletesByContainer.set(container, (writes.deletesByContainer.get(container) ?? 0) + 1);
  });
  return writes;
}

/** A document write as the Cosmos REST API spells it: create/upsert/batch (POST that is no query), replace (PUT), patch, delete. */
function writtenContainer(req: IncomingMessage): string | undefined {
  const match = /\/colls\/([^/]+)\/docs(?:\/|$|\?)/.exec(req.url ?? '');
  if (!match) return undefined;
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (method === 'POST' && String(req.headers['x-ms-documentdb-isquery'] ?? '').toLowerCase() === 'true') return undefined;
  if (method === 'POST' && req.headers['content-type'] === 'application/query+json') return undefined;
  return decodeURIComponent(match[1]);
}

/**
 * An embedded Cosmos server on a random port with a store in a fresh database, as local mode opens it: items stamped
 * with `clock` (DealDesk's: the harness's), expired ones swept when DealDesk's rounds ask. Call in before/after.
 */
export async function startTestStore(options: { clock?: Clock; deliveryRetentionDays?: number } = {}): Promise<TestStore> {
  const server = await startEmbeddedCosmos({ clock: options.clock });
  try {
    const client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true, onRequest: recordCosmosRequest });
    const databaseId = `test-${randomUUID()}`;
    const database = client.database(databaseId);
    const store = await openCosmosStore({ client, databaseId, deliveryRetentionDays: options.deliveryRetentionDays });
    return {
      writes: countWrites(server),
      partitionLimit: server.partitionLimit,
      store: { ...store, sweepExpired: (now, limit) => sweepExpired(database, now, limit) },
      database,
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
