import { join } from 'node:path';
import { createCosmosClient } from '../store/cosmos-client';
import { openCosmosStore } from '../store/cosmos-store';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import { startEmbeddedCosmos } from './embedded-cosmos';
import { exportSnapshot, importSnapshot } from './snapshot';

export const AUTOSAVE_MS = 30_000;

/**
 * Local mode's store: the embedded Cosmos-compatible server in this process, loaded from and saved
 * to `<dataDir>/cosmos.json` (it is memory only) at start, every 30 s, and on a clean stop.
 */
export async function openLocalStore(options: { dataDir: string; databaseId: string; logger: Logger }): Promise<Store & { endpoint: string }> {
  const { logger } = options;
  const file = join(options.dataDir, 'cosmos.json');
  const server = await startEmbeddedCosmos();
  const client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true });
  const store = await openCosmosStore({ client, databaseId: options.databaseId });
  const database = client.database(options.databaseId);
  const loaded = await importSnapshot(database, file);
  logger.info({ file, ...loaded }, 'local data loaded');

  const save = () => exportSnapshot(database, file).catch((e) => logger.error({ err: e, file }, 'could not save local data'));
  const timer = setInterval(save, AUTOSAVE_MS);
  timer.unref();
  return {
    ...store,
    endpoint: server.endpoint,
    close: async () => {
      clearInterval(timer);
      await save();
      await store.close();
      await server.close();
    },
  };
}
