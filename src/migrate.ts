import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { openStore } from './open-store';
import { systemClock } from './ports/clock.port';

/**
 * `npm run migrate [-- --drop-legacy]` (in the built artifact: `node dist/migrate.js [--drop-legacy]`): names the store, moves the data of the layout before partitioned keys to today's containers, as
 * start-up does, without starting DealDesk; prints what it moved per container and exits 0, or prints one line and
 * exits 1. `--drop-legacy` then deletes the legacy containers (only once their data moved). Log lines are JSON on stdout.
 */
async function migrate(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--drop-legacy');
  if (unknown.length) throw new Error(`unknown option ${unknown.join(' ')} (the only one is --drop-legacy)`);
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // Said first: run where the deployment's settings are missing, it would look at an empty local store and find nothing.
  const cosmos = config.cosmos;
  console.log(`Store: ${'embedded' in cosmos ? `the embedded local store in ${config.dataDir} (no COSMOS_ENDPOINT)` : `Cosmos DB at ${cosmos.endpoint}, database ${cosmos.database}`}.`);
  const store = await openStore(config, logger, systemClock);
  try {
    const report = await store.migrateLayout!({ instanceId: `migrate-${randomUUID()}`, logger, dropLegacy: args.includes('--drop-legacy') });
    const counts = Object.entries(report.moved).map(([id, n]) => `${id} ${n}`).join(', ');
    const said = {
      fresh: 'Nothing to move: this database has no containers of the layout before partitioned keys.',
      'done before': 'Nothing to move: the data was moved to the partitioned layout before.',
      waited: 'Another instance moved the data to the partitioned layout; nothing left to move.',
      moved: `Moved to the partitioned layout in ${(report.ms / 1000).toFixed(1)} s: ${counts || 'nothing'}.`,
    }[report.outcome];
    console.log(said);
    if (report.dropped.length) console.log(`Dropped the legacy containers: ${report.dropped.join(', ')}.`);
  } finally {
    await store.close();
  }
}

migrate().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`DealDesk could not move the data: ${oneLine(e)}`);
    process.exit(1);
  },
);

const oneLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0];
