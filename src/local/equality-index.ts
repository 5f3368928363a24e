/**
 * An equality index for one container of the embedded Cosmos-compatible server, so that a query such as
 * `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'deal' AND c.owner.id = @ownerId` is handed only the
 * documents whose `owner.id` matches, not the whole container (benchmark finding F1b).
 *
 * Only a superset matters for correctness: the engine still applies the whole WHERE to the candidates, and sorts
 * what passes (by the ORDER BY, then by `_rid`; by `_rid` alone without ORDER BY), so answers, their order and
 * continuation tokens are the same as from a full scan. Candidates keep the container's own order anyway (its
 * insertion order: a replace moves a document to the end, here as there).
 * A path is indexed the first time a query filters on it, then kept up to date on every write.
 */

/** The values the index keys on; equality on them is `===` in the query engine (objects and arrays: no). */
export type IndexedValue = string | number | boolean | null;

/**
 * `<path> = <value>`, or `IS_DEFINED(<path>)` (`defined: true`): the background sweeps filter on a field only
 * the few documents with work due carry (`IS_DEFINED(c.dispatchDueAt) AND c.dispatchDueAt <= @now`), or
 * `ARRAY_CONTAINS(<path>, <value>)` (`element`): the compose-box search asks for a key in a deal's `searchKeys`.
 */
export type EqualityFilter =
  | { path: readonly string[]; value: IndexedValue; defined?: undefined; element?: undefined }
  | { path: readonly string[]; defined: true; value?: undefined; element?: undefined }
  | { path: readonly string[]; element: IndexedValue; value?: undefined; defined?: undefined };

interface PathIndex {
  path: readonly string[];
  /** Keyed on the path's value, or (`elements`) on each scalar element of the array at the path. */
  elements: boolean;
  ridsByValue: Map<IndexedValue, Set<string>>;
  valuesByRid: Map<string, IndexedValue[]>;
  /** Documents where the path holds any value at all (objects and arrays too). */
  defined: Set<string>;
}

/** Enough paths for every equality filter DealDesk uses; more would only slow writes down. */
export const MAX_INDEXED_PATHS = 24;

export const isIndexedValue = (v: unknown): v is IndexedValue =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const keyOf = (path: readonly string[], elements: boolean) => `${JSON.stringify(path)}${elements ? '[]' : ''}`;

function valueAt(doc: unknown, path: readonly string[]): unknown {
  let value = doc;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export class EqualityIndex {
  private readonly paths = new Map<string, PathIndex>();

  /** A document was stored (created, or stored again by a replace after its removal). */
  added(rid: string, doc: unknown): void {
    for (const index of this.paths.values()) add(index, rid, doc);
  }

  removed(rid: string): void {
    for (const index of this.paths.values()) remove(index, rid);
  }

  /**
   * The ids of the documents that can match every filter (the smallest of their sets), or undefined when no
   * filter can use an index or none narrows the container (of `size` documents) down: the caller scans everything.
   * `documents` lists the container in its order; it is read only to index a path for the first time.
   */
  candidates(filters: readonly EqualityFilter[], size: number, documents: () => Iterable<[string, unknown]>): ReadonlySet<string> | undefined {
    let best: ReadonlySet<string> | undefined;
    for (const filter of filters) {
      const elements = filter.element !== undefined;
      const index = this.indexFor(filter.path, elements, documents);
      if (!index) continue;
      const rids = filter.defined ? index.defined : (index.ridsByValue.get(elements ? filter.element : filter.value) ?? EMPTY);
      if (!best || rids.size < best.size) best = rids;
      if (best.size === 0) break;
    }
    return best && best.size < size ? best : undefined;
  }

  indexedPaths(): string[][] {
    return [...this.paths.values()].map(({ path, elements }) => (elements ? [...path, '[]'] : [...path]));
  }

  private indexFor(path: readonly string[], elements: boolean, documents: () => Iterable<[string, unknown]>): PathIndex | undefined {
    const key = keyOf(path, elements);
    let index = this.paths.get(key);
    if (index || this.paths.size >= MAX_INDEXED_PATHS) return index;
    index = { path: [...path], elements, ridsByValue: new Map(), valuesByRid: new Map(), defined: new Set() };
    for (const [rid, doc] of documents()) add(index, rid, doc);
    this.paths.set(key, index);
    return index;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** What a document is found by in the index: its value at the path, or each distinct scalar element of the array there. */
function keysAt(index: PathIndex, value: unknown): IndexedValue[] {
  if (!index.elements) return isIndexedValue(value) ? [value] : [];
  return Array.isArray(value) ? [...new Set(value.filter(isIndexedValue))] : [];
}

function add(index: PathIndex, rid: string, doc: unknown): void {
  const value = valueAt(doc, index.path);
  const keys = keysAt(index, value);
  if (index.valuesByRid.has(rid) || index.defined.has(rid)) {
    // Never happens through the server (a replace removes first); mirror Map.set: the same keys keep their place.
    const had = index.valuesByRid.get(rid) ?? [];
    if (index.defined.has(rid) && value !== undefined && had.length === keys.length && had.every((k, i) => k === keys[i])) return;
    remove(index, rid);
  }
  if (value !== undefined) index.defined.add(rid);
  if (keys.length === 0) return;
  index.valuesByRid.set(rid, keys);
  for (const key of keys) {
    let rids = index.ridsByValue.get(key);
    if (!rids) index.ridsByValue.set(key, (rids = new Set()));
    rids.add(rid);
  }
}

function remove(index: PathIndex, rid: string): void {
  index.defined.delete(rid);
  const keys = index.valuesByRid.get(rid);
  if (!keys) return;
  index.valuesByRid.delete(rid);
  for (const key of keys) {
    const rids = index.ridsByValue.get(key);
    rids?.delete(rid);
    if (rids?.size === 0) index.ridsByValue.delete(key);
  }
}
