import type { Container, Database, PartitionKey } from '@azure/cosmos';
import { CONTAINERS, type ContainerDefinition } from '../store/containers';
import { statusOf } from '../store/cosmos-errors';

/** Deletes in flight at once: the journal syncs them together (group commit). */
const PARALLEL = 25;

interface Expired {
  id: string;
  _etag: string;
  /** The partition key's components, in order (`pk0`, `pk1`, …). */
  [component: `pk${number}`]: string | number | boolean | null | undefined;
}

/**
 * Local mode's stand-in for Cosmos DB's time to live, which the embedded server does not have: deletes at most `limit`
 * items whose `ttl` ran out by `now` (`_ts + ttl <= now`, in seconds), in the containers whose definition turns TTL on
 * (`defaultTtl`), as Azure honours an item's `ttl` only there. `_ts` is stamped from DealDesk's clock (item-clock.ts) and
 * `now` is DealDesk's clock, so time moved forward by hand expires items as if it had passed.
 *
 * Cheap and bounded: one query per such container (`IS_DEFINED(c.ttl)` lets the embedded index hand it only the items
 * that have one: finished deliveries, never one in progress), returning ids, etags and partition keys only, at most
 * `limit`; then each delete conditional on the etag the query saw, so an item written again since (and so no longer
 * expired, or no longer finished) is left alone, and one deleted meanwhile is not an error. The deletes go through the
 * Cosmos client like any other write, so local mode's journal records each before it is answered.
 *
 * Unlike Azure, an expired item can still be read until the next sweep deletes it; Azure stops returning it at once.
 */
export async function sweepExpired(database: Database, now: Date, limit: number): Promise<number> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let deleted = 0;
  for (const definition of (CONTAINERS as readonly ContainerDefinition[]).filter((c) => c.defaultTtl !== undefined)) {
    const left = Math.floor(limit) - deleted;
    if (!(left > 0)) break;
    const container = database.container(definition.id);
    const expired = await expiredIn(container, definition, nowSeconds, left);
    for (let i = 0; i < expired.length; i += PARALLEL) {
      const done = await Promise.all(expired.slice(i, i + PARALLEL).map((item) => remove(container, item)));
      deleted += done.filter(Boolean).length;
    }
  }
  return deleted;
}

async function expiredIn(container: Container, definition: ContainerDefinition, nowSeconds: number, limit: number): Promise<Array<Expired & { key: PartitionKey }>> {
  const own = 'IS_DEFINED(c.ttl) AND c.ttl > 0 AND c._ts + c.ttl <= @now';
  // A positive container default applies to items without a `ttl` of their own (DealDesk's containers have none: -1).
  const where = (definition.defaultTtl ?? -1) > 0 ? `((${own}) OR (NOT IS_DEFINED(c.ttl) AND c._ts + @default <= @now))` : own;
  const { resources } = await container.items
    .query<Expired>({
      query: `SELECT TOP @limit c.id, c._etag, ${definition.partitionKey.map((path, i) => `${pathOf(path)} AS pk${i}`).join(', ')} FROM c WHERE ${where}`,
      parameters: [
        { name: '@limit', value: limit },
        { name: '@now', value: nowSeconds },
        { name: '@default', value: definition.defaultTtl ?? -1 },
      ],
    })
    .fetchAll();
  return resources.map((item) => ({ ...item, key: definition.partitionKey.map((_, i) => item[`pk${i}`] ?? null) }));
}

/** `/tenantId` → `c.tenantId`. */
function pathOf(partitionKey: string): string {
  const parts = partitionKey.split('/').slice(1);
  if (parts.length === 0 || !parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) throw new Error(`the expiry sweep cannot read the partition key path ${partitionKey}`);
  return `c.${parts.join('.')}`;
}

/** True when this call deleted it; false when it was written again (412) or deleted (404) since the query. */
async function remove(container: Container, item: Expired & { key: PartitionKey }): Promise<boolean> {
  try {
    await container.item(item.id, item.key).delete({ accessCondition: { type: 'IfMatch', condition: item._etag } });
    return true;
  } catch (err) {
    if (statusOf(err) === 404 || statusOf(err) === 412) return false;
    throw err;
  }
}
