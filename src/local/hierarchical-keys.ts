import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Teaches the embedded server (@vercel/cosmosdb-server 1.0.1) hierarchical partition keys (`kind: 'MultiHash'`), which
 * it does not have: as installed it keys every item by the value at the container's FIRST path only, so two deals of one
 * tenant would share a "partition" and a point read with the wrong deal id would still find the item. Installed (once
 * per process, for every embedded server in it):
 *   - an item of a container with two or more paths is keyed by its full key (the values at every path, in order);
 *   - a request's key header naming every level finds the item in that logical partition only; one naming fewer levels
 *     on a point operation (read, replace, upsert, patch, delete) is refused (400), as Azure refuses it;
 *   - a write whose body's key values differ from the request's key header is refused (400), as Azure
 *     refuses it;
 *   - queries need nothing: the server scans the container and the WHERE says `c.tenantId = @tenantId` (the server
 *     ignores the partitionKey option, full or prefix), so a prefix query answers what Azure answers.
 * Single-path containers behave as before. The shapes relied on are checked at install: another version of the
 * package stops start-up instead of silently keying by the first path again. test/local/hierarchical-keys.spec.ts.
 */
export function checkPartitionKeyHeaders(server: EventEmitter): void {
  installHierarchicalKeys();
  const handlers = server.listeners('request') as Handler[];
  if (handlers.length !== 1) throw new Error('the embedded Cosmos server has an unexpected request handler');
  const [handler] = handlers as [Handler];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers[HEADER];
    scope.run({ header: Array.isArray(header) ? header[0] : header }, () => handler(req, res));
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const HEADER = 'x-ms-documentdb-partitionkey';

/** The request's key header: a create over HTTP is not handed it by the package, so the check reads it from here. */
const scope = new AsyncLocalStorage<{ header: string | undefined }>();

type Primitive = string | number | boolean | null | Record<string, never>;

/** A key header's components: `["t","D-1"]` → ['t', 'D-1']; absent or `[{}]` (the SDK's "no key") → undefined. */
export function keyComponents(header: string | undefined): Primitive[] | undefined {
  if (header === undefined || header === '' || header === '[{}]') return undefined;
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed) ? (parsed as Primitive[]) : [parsed as Primitive];
  } catch {
    return undefined;
  }
}

/** How a full hierarchical key is held by the server: the JSON of its components (never a plain value, so never a one-path key). */
const fullKey = (components: readonly unknown[]): string => JSON.stringify(components.map((c) => (c === undefined ? {} : c)));

const valueAt = (doc: unknown, path: string): unknown =>
  path
    .slice(1)
    .split('/')
    .reduce<unknown>((v, name) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[name] : undefined), doc);

// ---- the package's internals this relies on (lib/account/items.js, lib/utils/get-partition-from-header.js, lib/handler)

interface Items {
  _partitionKeyPath: string[];
  _getPartition(data: unknown): unknown;
}
interface Collection {
  read(): { partitionKey?: { paths?: string[] } } | null | undefined;
}
interface OperationResult {
  statusCode: number;
  body?: unknown;
}
type Operation = (collection: Collection, input: { id?: string; partitionKey?: string; resourceBody?: Record<string, unknown> }) => OperationResult;

let installed = false;

/** Process-wide and idempotent. */
export function installHierarchicalKeys(): void {
  if (installed) return;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const items = (require('@vercel/cosmosdb-server/lib/account/items') as { default: { prototype: Items } }).default.prototype;
  const header = require('@vercel/cosmosdb-server/lib/utils/get-partition-from-header') as { parsePartitionKey: (h: string, id: string) => unknown };
  const documents = require('@vercel/cosmosdb-server/lib/handler/_document-operations') as Record<string, Operation>;
  const patches = require('@vercel/cosmosdb-server/lib/handler/_patch-operations') as Record<string, Operation>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const expected = [
    typeof items._getPartition === 'function',
    typeof header.parsePartitionKey === 'function',
    ...['createOperation', 'replaceOperation', 'upsertOperation', 'deleteOperation', 'readOperation'].map((name) => typeof documents[name] === 'function'),
    typeof patches.patchOperation === 'function',
  ];
  if (expected.includes(false)) throw new Error('the embedded Cosmos server is not the version its hierarchical-key patch was written for (@vercel/cosmosdb-server 1.0.1)');
  installed = true;

  const stockPartition = items._getPartition;
  items._getPartition = function _getPartition(this: Items, data: unknown) {
    const paths = this._partitionKeyPath;
    if (!Array.isArray(paths) || paths.length < 2) return stockPartition.call(this, data);
    return fullKey(paths.map((path) => valueAt(data, path)));
  };

  const stockParse = header.parsePartitionKey;
  header.parsePartitionKey = (h: string, id: string) => {
    const components = keyComponents(h);
    return components && components.length > 1 ? fullKey(components) : stockParse(h, id);
  };

  const pathsOf = (collection: Collection): string[] => collection.read()?.partitionKey?.paths ?? [];
  const checked = (stock: Operation, kind: 'point' | 'write' | 'pointWrite'): Operation => (collection, input) => {
    const paths = pathsOf(collection);
    const components = keyComponents(input.partitionKey ?? scope.getStore()?.header);
    if (kind !== 'write' && paths.length > 1 && components !== undefined && components.length < paths.length) return fewerComponents();
    if (kind !== 'point' && components !== undefined && input.resourceBody && fullKey(paths.map((p) => valueAt(input.resourceBody, p))) !== fullKey(components)) {
      return mismatch();
    }
    return stock(collection, input);
  };
  documents.createOperation = checked(documents.createOperation, 'write');
  documents.upsertOperation = checked(documents.upsertOperation, 'pointWrite');
  documents.replaceOperation = checked(documents.replaceOperation, 'pointWrite');
  documents.deleteOperation = checked(documents.deleteOperation, 'point');
  documents.readOperation = checked(documents.readOperation, 'point');
  patches.patchOperation = checked(patches.patchOperation, 'point');
}

/** Azure's answers, as the real service words them. */
const mismatch = (): OperationResult => ({
  statusCode: 400,
  body: {
    code: 'BadRequest',
    message: "PartitionKey extracted from document doesn't match the one specified in the header. Learn more: https://aka.ms/CosmosDB/sql/errors/wrong-pk-value",
  },
});
const fewerComponents = (): OperationResult => ({
  statusCode: 400,
  body: { code: 'BadRequest', message: 'Partition key provided either doesn\'t correspond to definition in the collection or doesn\'t match partition key field values specified in the document.' },
});
