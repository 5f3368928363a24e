import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Azure Cosmos DB's largest logical partition: 20 GB (every item of one full partition key value). */
export const MAX_LOGICAL_PARTITION_BYTES = 20 * 1024 ** 3;

/** Azure's substatus for a logical partition that is full. */
export const PARTITION_FULL_SUBSTATUS = 1014;

export interface PartitionSizeLimit {
  /** Lowers (or restores) the limit from now on; tests use it to meet the limit with a few kilobytes. */
  set(bytes: number): void;
}

/**
 * Makes the embedded server refuse a document write that would take a logical partition (a container and one full
 * partition key value: hierarchical-keys.ts) past `limit` bytes, as Azure Cosmos DB refuses one past 20 GB: 403,
 * substatus 1014, "Partition key reached maximum size of 20 GB". The server stores anything otherwise, so without this
 * a partition grown too big would pass every test and fail only in Azure.
 *
 * The bytes counted are each stored item's JSON (system fields included), tracked per (container, full key) as the
 * server sets and deletes items; Azure also counts index storage, so it reaches 20 GB a little earlier than this count.
 * A write is refused before anything changes: a replace (or upsert, or patch) counts the difference to the item it
 * replaces, so shrinking or deleting in a full partition still works, as in Azure.
 */
export function limitPartitionSize(server: EventEmitter, limit = MAX_LOGICAL_PARTITION_BYTES): PartitionSizeLimit {
  installSizeTracking();
  const handlers = server.listeners('request') as Handler[];
  if (handlers.length !== 1) throw new Error('the embedded Cosmos server has an unexpected request handler');
  const [handler] = handlers as [Handler];
  const state = { limit };
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const request: RequestScope = { limit: state.limit, refused: false };
    const end = res.end as (...args: unknown[]) => ServerResponse;
    res.end = function endWithSubstatus(this: ServerResponse, ...args: unknown[]) {
      if (request.refused && !this.headersSent) this.setHeader('x-ms-substatus', String(PARTITION_FULL_SUBSTATUS));
      return end.apply(this, args);
    } as ServerResponse['end'];
    scope.run(request, () => handler(req, res));
  });
  return {
    set(bytes) {
      if (!(bytes > 0)) throw new Error(`a partition size limit must be positive, not ${bytes}`);
      state.limit = bytes;
    },
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface RequestScope {
  limit: number;
  refused: boolean;
}
const scope = new AsyncLocalStorage<RequestScope>();

class PartitionFullError extends Error {}

const sizeOf = (doc: unknown): number => Buffer.byteLength(JSON.stringify(doc), 'utf8');

// ---- the package's internals this relies on (@vercel/cosmosdb-server 1.0.1, lib/account/items.js, documents.js):
// create and replace store through `_set`; replace and delete remove through `delete(id, partition)`.

interface StoredData {
  _rid: string;
  id: string;
}
interface Documents {
  _data: Map<string, { read(): StoredData | undefined }>;
  _getPartition(data: unknown): unknown;
  _item(keyPath: string, value: unknown, partition: unknown): { read(): StoredData | undefined };
  create(data: object): unknown;
  replace(data: object, original: StoredData): unknown;
  delete(id: string, partition: unknown): unknown;
  _set(data: StoredData): unknown;
}
interface Operation {
  (collection: unknown, input: unknown): { statusCode: number; body?: unknown };
}

/** Per container (its Documents), bytes per partition and per item. */
const sizes = new WeakMap<Documents, { partitions: Map<string, number>; items: Map<string, number> }>();
const sizesOf = (documents: Documents) => {
  let found = sizes.get(documents);
  if (!found) sizes.set(documents, (found = { partitions: new Map(), items: new Map() }));
  return found;
};
const partitionOf = (documents: Documents, data: unknown): string => JSON.stringify(documents._getPartition(data) ?? null);

let installed = false;

function installSizeTracking(): void {
  if (installed) return;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const proto = (require('@vercel/cosmosdb-server/lib/account/documents') as { default: { prototype: Documents } }).default.prototype;
  const operations = require('@vercel/cosmosdb-server/lib/handler/_document-operations') as Record<string, Operation>;
  const patches = require('@vercel/cosmosdb-server/lib/handler/_patch-operations') as Record<string, Operation>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const expected = [
    ...['create', 'replace', 'delete', '_set', '_getPartition', '_item'].map((name) => typeof (proto as unknown as Record<string, unknown>)[name] === 'function'),
    ...['createOperation', 'replaceOperation', 'upsertOperation'].map((name) => typeof operations[name] === 'function'),
    typeof patches.patchOperation === 'function',
  ];
  if (expected.includes(false)) throw new Error('the embedded Cosmos server is not the version its partition size limit was written for (@vercel/cosmosdb-server 1.0.1)');
  installed = true;

  const refuseIfFull = (documents: Documents, data: object, replaced: StoredData | undefined): void => {
    const request = scope.getStore();
    if (!request) return;
    const { partitions, items } = sizesOf(documents);
    const partition = partitionOf(documents, data);
    const before = replaced ? (items.get(replaced._rid) ?? 0) : 0;
    // The stored item also gets _rid, _self, _etag and _ts: about 150 bytes.
    const after = (partitions.get(partition) ?? 0) - before + sizeOf(data) + 150;
    if (after > request.limit && after > (partitions.get(partition) ?? 0)) throw new PartitionFullError();
  };

  const { create, replace, delete: remove, _set: set } = proto;
  proto.create = function (this: Documents, data: object) {
    refuseIfFull(this, data, undefined);
    return create.call(this, data);
  };
  proto.replace = function (this: Documents, data: object, original: StoredData) {
    refuseIfFull(this, data, original);
    return replace.call(this, data, original);
  };
  proto._set = function (this: Documents, data: StoredData) {
    const result = set.call(this, data);
    const { partitions, items } = sizesOf(this);
    const bytes = sizeOf(data);
    const partition = partitionOf(this, data);
    items.set(data._rid, bytes);
    partitions.set(partition, (partitions.get(partition) ?? 0) + bytes);
    return result;
  };
  proto.delete = function (this: Documents, id: string, partition: unknown) {
    const data = this._item('/id', id, partition).read();
    const result = remove.call(this, id, partition);
    if (data) {
      const { partitions, items } = sizesOf(this);
      const key = partitionOf(this, data);
      const left = (partitions.get(key) ?? 0) - (items.get(data._rid) ?? 0);
      if (left > 0) partitions.set(key, left);
      else partitions.delete(key);
      items.delete(data._rid);
    }
    return result;
  };

  const answeringFull = (stock: Operation): Operation => (collection, input) => {
    try {
      return stock(collection, input);
    } catch (err) {
      if (!(err instanceof PartitionFullError)) throw err;
      const request = scope.getStore();
      if (request) request.refused = true;
      return { statusCode: 403, body: { code: 'Forbidden', message: 'Partition key reached maximum size of 20 GB. Learn more: https://aka.ms/CosmosDB/sql/errors/full-pk' } };
    }
  };
  for (const name of ['createOperation', 'replaceOperation', 'upsertOperation']) operations[name] = answeringFull(operations[name]!);
  patches.patchOperation = answeringFull(patches.patchOperation!);
}
