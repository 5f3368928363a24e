import type { Config } from './config';
import type { Clock } from './ports/clock.port';
import type { Logger } from './ports/logger.port';
import type { Store } from './ports/store.port';
import { recordCosmosRequest } from './metrics/metrics';
import { createCosmosClient } from './store/cosmos-client';
import { openCosmosStore } from './store/cosmos-store';

/**
 * Opens the configured store: Azure Cosmos DB, or the embedded server (loaded lazily: a dev dependency), whose items
 * expire on DealDesk's `clock`.
 */
export async function openStore(config: Config, logger: Logger, clock: Clock): Promise<Store & { loaded?: { deals: number; dir: string } }> {
  const { deliveryRetentionDays } = config.settings;
  const cosmos = config.cosmos;
  if ('embedded' in cosmos) {
    // Loaded on demand: local mode needs dev dependencies that an Azure deployment does not install.
    let local: typeof import('./local/local-store');
    try {
      local = require('./local/local-store') as typeof import('./local/local-store');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
      throw new Error('local mode needs the embedded Cosmos-compatible server, a dev dependency: install with dev dependencies (npm ci), or set COSMOS_ENDPOINT to use Azure Cosmos DB');
    }
    const { openLocalStore } = local;
    return openLocalStore({ dataDir: config.dataDir, databaseId: cosmos.database, logger, clock, deliveryRetentionDays, onCosmosRequest: recordCosmosRequest });
  }
  const credential = cosmos.key
    ? undefined
    : new (require('@azure/identity') as typeof import('@azure/identity')).DefaultAzureCredential({ managedIdentityClientId: cosmos.managedIdentityClientId });
  // COSMOS_EMULATOR: an emulator on this machine (self-signed certificate), e.g. several local instances sharing one store.
  const client = createCosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, credential, embedded: cosmos.emulator, onRequest: recordCosmosRequest });
  return openCosmosStore({ client, databaseId: cosmos.database, deliveryRetentionDays, clock });
}
