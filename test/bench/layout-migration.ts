/**
 * `npx tsx test/bench/layout-migration.ts [N…]`: how long the move to the partitioned layout takes for N legacy items on
 * the embedded store (one process, the real @azure/cosmos client over HTTPS). The items are the layout-v1 fixture's,
 * repeated under new ids (deals, with their archive documents, and deliveries: the containers that grow). Figures go
 * to docs/data-limits.md by hand ("Moving to the partitioned layout").
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startEmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { createCosmosClient, ensureDatabase } from '../../src/store/cosmos-client';
import { LEGACY_CONTAINERS } from '../../src/store/containers';
import { migrateLayout } from '../../src/store/migration/migrate-layout';
import { FIXTURE_TIME, LEGACY_ITEMS } from '../support/legacy-layout';
import { MemoryLogger } from '../support/memory-logger';

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const server = await startEmbeddedCosmos();
  const client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true });
  const clock = { now: () => new Date(FIXTURE_TIME) };
  try {
    for (const n of sizes.length ? sizes : [1_000, 10_000]) {
      const database = (await client.databases.createIfNotExists({ id: `bench-${randomUUID()}` })).database;
      for (const { id, partitionKey } of LEGACY_CONTAINERS) await database.containers.createIfNotExists({ id, partitionKey: { paths: [...partitionKey] } });
      const templates = [...LEGACY_ITEMS.deals.map((d) => ['deals', d] as const), ...LEGACY_ITEMS.deliveries.map((d) => ['deliveries', d] as const)];
      await server.restoring(async () => {
        for (let i = 0; i < n; i += 50) {
          await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => {
            const [container, item] = templates[(i + j) % templates.length];
            const copy = { ...item, id: `${item.id}~${i + j}`, ...(item.dealId ? { dealId: `${item.dealId}~${i + j}` } : {}) };
            return database.container(container).items.create(copy);
          }));
        }
      });
      await ensureDatabase(client, database.id);
      const started = performance.now();
      const report = await migrateLayout(database, { instanceId: 'bench', clock, logger: new MemoryLogger() });
      const ms = performance.now() - started;
      const moved = Object.values(report.moved).reduce((a, b) => a! + b!, 0)!;
      console.log(`${n} legacy items: moved ${moved} in ${(ms / 1000).toFixed(2)} s (${Math.round(moved / (ms / 1000))} items/s)`);
      await client.database(database.id).delete();
    }
  } finally {
    client.dispose();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
