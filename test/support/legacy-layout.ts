import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@azure/cosmos';
import type { EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { LEGACY_CONTAINERS, SUCCESSOR_OF, type LegacyContainerId } from '../../src/store/containers';

type Item = Record<string, unknown> & { id: string; tenantId: string };

/** Every legacy container's items as DealDesk at eec5967 wrote them (test/fixtures/layout-v1/README.md). */
export const LEGACY_ITEMS: Record<LegacyContainerId, Item[]> = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'layout-v1', 'containers.json'), 'utf8'));

/** DealDesk's time just after the fixture was made (its clock started at 2026-11-26 09:00 UTC). */
export const FIXTURE_TIME = Date.parse('2026-11-26T09:05:00Z');

/** Creates the legacy containers, keyed on /tenantId as eec5967 created them, and loads the fixture, keeping each item's `_ts`. */
export async function loadLegacyFixture(server: EmbeddedCosmos, database: Database): Promise<void> {
  for (const { id, partitionKey } of LEGACY_CONTAINERS) await database.containers.createIfNotExists({ id, partitionKey: { paths: [...partitionKey] } });
  await server.restoring(async () => {
    for (const [id, items] of Object.entries(LEGACY_ITEMS)) {
      for (const item of items) await database.container(id).items.upsert(item);
    }
  });
}

const SYSTEM = new Set(['_rid', '_self', '_etag', '_attachments', '_ts']);
const withoutSystem = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => !SYSTEM.has(k)));

/** A container's items by `<tenant> <id>`, system properties dropped. */
export async function itemsOf(database: Database, id: string): Promise<Map<string, Record<string, unknown>>> {
  const { resources } = await database.container(id).items.query<Item>('SELECT * FROM c').fetchAll();
  return new Map(resources.map((item) => [`${item.tenantId} ${item.id}`, withoutSystem(item)]));
}

/**
 * What the new containers must hold after the move: every item of every moving legacy container, once, with each of
 * its fields unchanged (the `ttl` aside: shortened by the time already spent) and only partition key fields added.
 * Returns a list of differences (empty: exactly moved).
 */
export async function differencesAfterMove(database: Database, moving: readonly LegacyContainerId[]): Promise<string[]> {
  const problems: string[] = [];
  for (const legacy of moving) {
    const successor = SUCCESSOR_OF[legacy];
    const before = await itemsOf(database, legacy);
    const after = await itemsOf(database, successor);
    const missing = [...before.keys()].filter((k) => !after.has(k));
    const extra = [...after.keys()].filter((k) => !before.has(k));
    if (missing.length) problems.push(`${successor} lacks ${missing.join(', ')}`);
    if (extra.length) problems.push(`${successor} has extra ${extra.join(', ')}`);
    for (const [key, old] of before) {
      const copy = after.get(key);
      if (!copy) continue;
      for (const [field, value] of Object.entries(old)) {
        if (field === 'ttl') continue;
        if (JSON.stringify(copy[field]) !== JSON.stringify(value)) problems.push(`${successor} ${key}: ${field} changed`);
      }
      const added = Object.keys(copy).filter((f) => !(f in old));
      // searchKeys: a moved deal's search keys (deal-document.ts), which no legacy deal has.
      if (added.some((f) => !['dealId', 'personId', 'conversationId', ...(old.type === 'deal' ? ['searchKeys'] : [])].includes(f))) problems.push(`${successor} ${key}: unexpected fields ${added.join(', ')}`);
    }
  }
  return problems;
}

/**
 * The database as a process that dies after its `k`-th document write sees it: writes 1…k happen, every later call of
 * the client fails. `applied`: the k-th write reaches the store but its answer is lost (the crash comes between).
 */
export function crashAfterWrites(database: Database, k: number, applied = false): { database: Database; writes: () => number } {
  let writes = 0;
  const crash = () => new Error(`crashed after write ${k}`);
  const write = <T>(run: () => Promise<T>): Promise<T> => {
    if (writes >= k) return Promise.reject(crash());
    writes += 1;
    if (writes === k && applied) return run().then(() => Promise.reject(crash()));
    return run();
  };
  const guarded = <T extends object>(target: T, methods: readonly string[], wrap: (name: string, value: any) => any = (_n, v) => v): T =>
    new Proxy(target, {
      get(t, name, receiver) {
        const value = Reflect.get(t, name, receiver);
        if (typeof value !== 'function') return value;
        if (methods.includes(String(name))) return (...args: unknown[]) => write(() => value.apply(t, args));
        return wrap(String(name), (...args: unknown[]) => {
          if (writes >= k) throw crash();
          return value.apply(t, args);
        });
      },
    });
  const container = (id: string) => {
    const real = database.container(id);
    return new Proxy(real, {
      get(t, name, receiver) {
        if (name === 'items') return guarded(t.items, ['create', 'upsert']);
        if (name === 'item') return (...args: Parameters<typeof t.item>) => guarded(t.item(...args), ['replace', 'delete', 'patch']);
        return Reflect.get(t, name, receiver);
      },
    });
  };
  const proxied = new Proxy(database, {
    get(t, name, receiver) {
      if (name === 'container') return container;
      return Reflect.get(t, name, receiver);
    },
  });
  return { database: proxied, writes: () => writes };
}

/**
 * The database as a process sees it that stalls (a long GC pause, a frozen host) right after it read the first page of
 * legacy container `id`: that page's answer reaches it only once `resume` resolves. `stalled` resolves when it stalls.
 */
export function stallAfterFirstPage(database: Database, id: LegacyContainerId, resume: Promise<void>): { database: Database; stalled: Promise<void> } {
  let stall!: () => void;
  const stalled = new Promise<void>((resolve) => (stall = resolve));
  let once = false;
  const items = (real: ReturnType<Database['container']>['items']) =>
    new Proxy(real, {
      get(t, name, receiver) {
        const value = Reflect.get(t, name, receiver);
        if (name !== 'query') return typeof value === 'function' ? value.bind(t) : value;
        return (...args: unknown[]) => {
          const iterator = (value as (...a: unknown[]) => { fetchNext(): Promise<unknown> }).apply(t, args);
          return {
            fetchNext: async () => {
              const page = await iterator.fetchNext();
              if (!once) {
                once = true;
                stall();
                await resume;
              }
              return page;
            },
          };
        };
      },
    });
  const proxied = new Proxy(database, {
    get(t, name, receiver) {
      if (name !== 'container') return Reflect.get(t, name, receiver);
      return (containerId: string) => {
        const real = t.container(containerId);
        if (containerId !== id) return real;
        return new Proxy(real, { get: (c, n, r) => (n === 'items' ? items(c.items) : Reflect.get(c, n, r)) });
      };
    },
  });
  return { database: proxied, stalled };
}
