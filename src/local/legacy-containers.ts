import type { Database } from '@azure/cosmos';
import { CONTAINERS, type ContainerDefinition, LEGACY_CONTAINERS } from '../store/containers';

/**
 * A data directory written before the partitioned layout holds the legacy containers (`deals`, `people`, … keyed on
 * `/tenantId`). Local mode loads them as they are, into containers of their own, so the move (store/migration) copies
 * them exactly as it copies Azure's; and keeps them in the snapshot for as long as they exist, as Azure keeps them until
 * `npm run migrate -- --drop-legacy` deletes them.
 */
export const LEGACY_ONLY: readonly ContainerDefinition[] = LEGACY_CONTAINERS.filter((legacy) => !CONTAINERS.some((c) => c.id === legacy.id));

/** Every container local mode may find in a data directory: today's, then the legacy ones. */
export const STORED_CONTAINERS: readonly ContainerDefinition[] = [...CONTAINERS, ...LEGACY_ONLY];

/** Creates the legacy containers named in `ids` (those a snapshot or journal has items for), keyed as they were. */
export async function ensureLegacyContainers(database: Database, ids: Iterable<string>): Promise<void> {
  const wanted = new Set(ids);
  for (const { id, partitionKey } of LEGACY_ONLY) {
    if (wanted.has(id)) await database.containers.createIfNotExists({ id, partitionKey: { paths: [...partitionKey] } });
  }
}

/** Of STORED_CONTAINERS, those the database has (today's always; a legacy one until it is dropped). */
export async function containersIn(database: Database): Promise<readonly ContainerDefinition[]> {
  const { resources } = await database.containers.readAll().fetchAll();
  const ids = new Set(resources.map((c) => c.id));
  return STORED_CONTAINERS.filter((c) => ids.has(c.id));
}
