import type { CosmosClient } from '@azure/cosmos';
import { type Clock, systemClock } from '../ports/clock.port';
import type { Store } from '../ports/store.port';
import type { ContainerId } from './containers';
import { ensureDatabase } from './cosmos-client';
import { CosmosConversationRepository } from './cosmos-conversation-repository';
import { CosmosCrmPollRepository } from './cosmos-crm-poll-repository';
import { CosmosDealRepository } from './cosmos-deal-repository';
import { CosmosOutgoingMessageRepository } from './cosmos-outgoing-message-repository';
import { CosmosFollowRepository } from './cosmos-follow-repository';
import { CosmosJobRepository } from './cosmos-job-repository';
import { CosmosPeopleRepository } from './cosmos-people-repository';
import { CosmosQuotaRepository } from './cosmos-quota-repository';
import { CosmosSendBudgetRepository } from './cosmos-send-budget-repository';
import { CosmosSettingsRepository } from './cosmos-settings-repository';
import { dropLegacy } from './migration/drop-legacy';
import { migrateLayout } from './migration/migrate-layout';

/**
 * Opens the Cosmos-backed store: creates the database and containers when absent, then wires the repositories.
 * `deliveryRetentionDays` (DELIVERY_RETENTION_DAYS): the `ttl` a finished delivery is written with. Cosmos DB deletes
 * what expired by itself; this store never deletes an expired item (it has no `sweepExpired`: local mode adds one).
 */
export async function openCosmosStore(options: { client: CosmosClient; databaseId: string; deliveryRetentionDays?: number; clock?: Clock }): Promise<Store> {
  const { client, databaseId } = options;
  const database = await ensureDatabase(client, databaseId);
  const container = (id: ContainerId) => database.container(id);
  return {
    deals: new CosmosDealRepository(container('deals-v2')),
    conversations: new CosmosConversationRepository(container('conversations-v2')),
    people: new CosmosPeopleRepository(container('people-v2')),
    follows: new CosmosFollowRepository(container('follows-v2')),
    deliveries: new CosmosOutgoingMessageRepository(container('deliveries-v2'), options.deliveryRetentionDays),
    settings: new CosmosSettingsRepository(container('settings')),
    sendBudgets: new CosmosSendBudgetRepository(container('settings')),
    crmPolls: new CosmosCrmPollRepository(container('settings')),
    jobs: new CosmosJobRepository(container('jobs-v2')),
    quotas: new CosmosQuotaRepository(container('people-v2')),
    migrateLayout: async ({ dropLegacy: drop, ...rest }) => {
      const report = await migrateLayout(database, { ...rest, clock: options.clock ?? systemClock });
      return { ...report, dropped: drop ? await dropLegacy(database) : [] };
    },
    // Reading the database resource is the cheapest round trip that proves endpoint, auth and database.
    ping: async () => {
      await database.read();
    },
    close: async () => {
      client.dispose();
    },
  };
}
