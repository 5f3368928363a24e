import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@azure/cosmos';
import { createCosmosClient } from '../store/cosmos-client';
import { openCosmosStore } from '../store/cosmos-store';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import { lockDataDir } from './data-dir-lock';
import { startEmbeddedCosmos } from './embedded-cosmos';
import { sweepExpired } from './expiry-sweep';
import { folder } from './fold-journal';
import { readJournals, replayJournal } from './replay-journal';
import { exportSnapshot, importSnapshot, readSnapshot } from './snapshot';
import { WriteJournal } from './write-journal';

export const FOLD_EVERY_MS = 30_000;

export type LocalStore = Store & { endpoint: string; loaded: { deals: number; dir: string } };

/**
 * Local mode's store: the embedded Cosmos-compatible server in this process (memory only), kept on disk in
 * `<dataDir>`: `cosmos.json`, a snapshot, and the journal of every write since (journal-*.jsonl), each write
 * fsync'd before it is answered. At start the snapshot is loaded and the journal replayed; every 30 s (when
 * something was written) and on a clean stop the journal is folded into a new snapshot. A file that cannot be read
 * stops start-up, untouched (LocalDataError).
 *
 * Items expire as in Azure, on DealDesk's `clock`: the server stamps `_ts` from it, loading keeps each item's `_ts`, and
 * `sweepExpired` deletes what ran out (expiry-sweep.ts), through the journal like any delete.
 */
export async function openLocalStore(options: { dataDir: string; databaseId: string; logger: Logger; clock: Clock; deliveryRetentionDays?: number; onCosmosRequest?: (status: number | undefined) => void }): Promise<LocalStore> {
  const { dataDir: dir, logger } = options;
  await fs.mkdir(dir, { recursive: true });
  const unlock = await lockDataDir(dir);
  const cleanUp: Array<() => Promise<unknown>> = [unlock];
  try {
    const file = join(dir, 'cosmos.json');
    const snapshot = await readSnapshot(file);
    const journals = await readJournals(dir, snapshot?.journal ?? 0);
    for (const torn of journals.torn) logger.warn({ file: torn }, 'local journal: dropped a torn last line (a write that was never answered)');

    const journal = new WriteJournal(dir, (err) => logger.error({ err, dir }, 'local journal failed: DealDesk refuses further requests'));
    const server = await startEmbeddedCosmos({ journal, clock: options.clock });
    cleanUp.unshift(() => server.close());
    const client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true, onRequest: options.onCosmosRequest });
    const store = await openCosmosStore({ client, databaseId: options.databaseId, deliveryRetentionDays: options.deliveryRetentionDays, clock: options.clock });
    cleanUp.unshift(() => store.close());
    const database = client.database(options.databaseId);
    await server.restoring(async () => {
      if (snapshot) await importSnapshot(database, snapshot);
      await replayJournal(database, journals.entries);
    });
    await journal.open(Math.max(snapshot?.journal ?? 0, ...journals.numbers) + 1);

    const fold = folder({ database, file, journal, logger });
    if (journals.numbers.length > 0) await fold.now();
    const deals = await countDeals(database);
    logger.info({ dir, deals, replayed: journals.entries.length }, 'local data loaded');
    const timer = setInterval(() => void fold.ifWritten(), FOLD_EVERY_MS);
    timer.unref();
    const loaded = { deals, dir };
    return {
      ...store,
      // A data directory of the layout before partitioned keys: its deals are counted once they moved.
      migrateLayout: async (migration) => {
        const report = await store.migrateLayout!(migration);
        if (report.outcome === 'moved') loaded.deals = await countDeals(database);
        return report;
      },
      sweepExpired: (now, limit) => sweepExpired(database, now, limit),
      endpoint: server.endpoint,
      loaded,
      close: async () => {
        clearInterval(timer);
        await fold.now();
        const last = await journal.close();
        if (last.empty) await fs.rm(last.file, { force: true });
        for (const step of cleanUp) await step();
      },
    };
  } catch (err) {
    for (const step of cleanUp) await step().catch(() => undefined);
    throw err;
  }
}

async function countDeals(database: Database): Promise<number> {
  const { resources } = await database.container('deals-v2').items.query<number>("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'deal'").fetchAll();
  return resources[0] ?? 0;
}
