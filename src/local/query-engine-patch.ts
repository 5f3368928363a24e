import { performance } from 'node:perf_hooks';
import { EqualityIndex } from './equality-index';
import { equalityFilters } from './equality-filters';

/**
 * Fixes for the embedded server's query engine (@vercel/cosmosdb-server 1.0.1 with @zeit/cosmosdb-query 0.7.2),
 * benchmark findings F1 and F1b (docs/benchmarks.md). As installed, every query:
 *   - compiles to code starting with `$c.reduce(($, c) => ... [...$, { c }] ..., [])`, which copies the growing
 *     accumulator once per document: O(n²) in the container's size (over 60 s at 100,000 documents);
 *   - is recompiled with `new Function` on every execution, so V8 never optimises it;
 *   - strips undefined values from its answer with the same quadratic copy;
 *   - is run over every document of the container, whatever its WHERE says.
 * Installed (once per process, for every embedded server in it), the engine instead: scans linearly
 * (`filter().map()`), compiles each SQL text once, strips answers linearly, and hands the engine only the candidates
 * of an equality index when the WHERE has top-level AND-ed equality filters (see equality-index.ts). The filter,
 * sort and paging code is the package's own, so answers are unchanged. The query-plan short-cut is in
 * query-plan-shortcut.ts (HTTP level).
 *
 * The patch reaches into the packages' internals (the server pins @zeit/cosmosdb-query 0.7.2; the lock file holds
 * the server at 1.0.1): installQueryEngine() checks the shapes it relies on and refuses (throws at start-up, before
 * changing anything) rather than misbehave on another version. test/local/embedded-query-engine.spec.ts compares
 * its answers with the stock engine's.
 */

/** 'stock' = as installed (kept to compare with: tests, benchmark); 'linear' = F1 only; 'indexed' = F1 + F1b. */
export type QueryEngineMode = 'stock' | 'linear' | 'indexed';

/** One query execution as the engine saw it. */
export interface QueryExecution {
  sql: string;
  /** Documents handed to the engine: the whole container, or the index's candidates. */
  documents: number;
  /** Candidates the index named (as `documents`, unless the index were out of step with the container). */
  candidates?: number;
  /** Documents in the container. */
  containerSize: number;
  indexed: boolean;
  ms: number;
}

let mode: QueryEngineMode = 'indexed';
let installed = false;
const observers = new Set<(execution: QueryExecution) => void>();

export const queryEngineMode = (): QueryEngineMode => mode;

/** Process-wide, like the patch itself. */
export function setQueryEngineMode(next: QueryEngineMode): void {
  installQueryEngine();
  mode = next;
}

/** Calls `observer` after every document query; returns the function that stops it. */
export function observeQueries(observer: (execution: QueryExecution) => void): () => void {
  installQueryEngine();
  observers.add(observer);
  return () => observers.delete(observer);
}

// ---- the packages' internals this relies on

interface ExecOptions {
  parameters?: Array<{ name: string; value: unknown }>;
  udf?: unknown;
  maxItemCount?: number;
  continuation?: unknown;
  compositeIndexes?: unknown;
}
interface Query {
  _query: string;
  ast: unknown;
  readonly code: string;
  exec(collection: unknown[], options?: ExecOptions): unknown;
}
interface StoredItem {
  read(): Record<string, unknown> & { _rid: string };
}
interface Documents {
  _parent: { read(): { indexingPolicy?: { compositeIndexes?: unknown } } | null };
  _data: Map<string, StoredItem>;
  _getQuery(sql: string): Query;
  _userDefinedFunctions(): unknown;
  _item(keyPath: string, value: string, partition: unknown): { read(): { _rid: string } | undefined };
  _set(data: { _rid: string }): unknown;
  delete(idOrRid: string, partition: unknown): void;
  query(params: { query: string; parameters?: ExecOptions['parameters'] }, options: { maxItemCount?: number; continuation?: unknown }): unknown;
}
type Compiled = (...args: unknown[]) => unknown;

/** The prologue every single-collection query starts with, e.g. `FROM c` or `FROM root r` (`{ r: root }`). */
const PROLOGUE = /\$c\.reduce\(\(\$, (\w+)\) => typeof \1 !== "undefined" \? \[\.\.\.\$, \{\s*(\w+): \1\s*\}\] : \$, \[\]\)/g;

export function linearCode(code: string): string {
  return code.replace(PROLOGUE, (_all, doc: string, alias: string) => `$c.filter((${doc}) => typeof ${doc} !== "undefined").map((${doc}) => ({ ${alias}: ${doc} }))`);
}

/** As the package's `stripUndefined` (drops undefined array elements and properties, deeply), in linear time. */
function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) if (typeof v !== 'undefined') out.push(stripUndefined(v));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'undefined') out[k] = stripUndefined(v);
    return out;
  }
  return value;
}

/** Compiled queries by SQL text, least recently used dropped first (SQL text is fixed in DealDesk: a handful). */
const COMPILED_MAX = 500;
const compiled = new Map<string, Compiled>();

function compile(query: Query): Compiled {
  let run = compiled.get(query._query);
  if (run) {
    compiled.delete(query._query);
  } else {
    // The package's executor does the same construction, on every execution.
    // eslint-disable-next-line no-new-func
    run = new Function(`"use strict";return (${linearCode(query.code)})`)() as Compiled;
    if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value as string);
  }
  compiled.set(query._query, run);
  return run;
}

const indexes = new WeakMap<Documents, EqualityIndex>();

function indexOf(documents: Documents): EqualityIndex {
  let index = indexes.get(documents);
  if (!index) indexes.set(documents, (index = new EqualityIndex()));
  return index;
}

/** Installs the fixed engine (idempotent); the mode decides per execution which one runs. */
export function installQueryEngine(): void {
  if (installed) return;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const createQuery = (require('@zeit/cosmosdb-query') as { default: (sql: string) => Query }).default;
  const aggregateFunctions = require('@zeit/cosmosdb-query/lib/aggregate-functions') as unknown;
  const builtinFunctions = require('@zeit/cosmosdb-query/lib/builtin-functions') as unknown;
  const helpers = require('@zeit/cosmosdb-query/lib/helpers') as { stripUndefined: (v: unknown) => unknown };
  const DocumentsClass = (require('@vercel/cosmosdb-server/lib/account/documents') as { default: { prototype: Documents } }).default;
  /* eslint-enable @typescript-eslint/no-require-imports */

  const queryProto = Object.getPrototypeOf(createQuery('SELECT * FROM c')) as Query;
  const documentsProto = DocumentsClass.prototype;
  const expected = [
    typeof queryProto.exec === 'function',
    typeof helpers.stripUndefined === 'function',
    ['query', '_set', 'delete', '_getQuery', '_item', '_userDefinedFunctions'].every((name) => typeof (documentsProto as unknown as Record<string, unknown>)[name] === 'function'),
    linearCode(createQuery('SELECT * FROM c WHERE c.a = 1').code) !== createQuery('SELECT * FROM c WHERE c.a = 1').code,
  ];
  if (expected.includes(false)) throw new Error('the embedded Cosmos server is not the version its query engine patch was written for (@vercel/cosmosdb-server 1.0.1)');
  installed = true;

  const stockExec = queryProto.exec;
  queryProto.exec = function exec(this: Query, collection: unknown[], options: ExecOptions = {}) {
    if (mode === 'stock') return stockExec.call(this, collection, options);
    const { parameters, udf = {}, maxItemCount, continuation, compositeIndexes } = options;
    const params: Record<string, unknown> = {};
    for (const { name, value } of parameters ?? []) params[name.slice(1)] = value;
    return compile(this)(aggregateFunctions, builtinFunctions, collection, helpers, udf, params, maxItemCount, continuation, compositeIndexes);
  };

  const stockStrip = helpers.stripUndefined;
  helpers.stripUndefined = (value: unknown) => (mode === 'stock' ? stockStrip(value) : stripUndefined(value));

  // Keep every index that exists up to date on every write, whatever the mode: create and upsert store through
  // _set; replace deletes, then stores through _set; delete removes.
  const stockSet = documentsProto._set;
  documentsProto._set = function _set(this: Documents, data: { _rid: string }) {
    const result = stockSet.call(this, data);
    indexes.get(this)?.added(data._rid, data);
    return result;
  };
  const stockDelete = documentsProto.delete;
  documentsProto.delete = function remove(this: Documents, idOrRid: string, partition: unknown) {
    const doc = this._item('/id', idOrRid, partition).read();
    stockDelete.call(this, idOrRid, partition);
    if (doc) indexes.get(this)?.removed(doc._rid);
  };

  const stockQuery = documentsProto.query;
  documentsProto.query = function query(this: Documents, params, { maxItemCount, continuation }) {
    const started = performance.now();
    const containerSize = this._data.size;
    let documents = containerSize;
    let indexed = false;
    let candidates: number | undefined;
    try {
      if (mode === 'stock') return stockQuery.call(this, params, { maxItemCount, continuation });
      // From here on as the package's Items.query, with the candidates instead of every document.
      const parent = this._parent.read();
      if (!parent) return null;
      const q = this._getQuery(params.query);
      const rids = mode === 'indexed' ? candidatesOf(this, q, params.parameters) : undefined;
      const data = rids ? documentsOf(this, rids) : [...this._data.values()].map((item) => item.read());
      documents = data.length;
      indexed = rids !== undefined;
      candidates = rids?.size;
      const options: ExecOptions = {
        parameters: params.parameters,
        udf: this._userDefinedFunctions(),
        maxItemCount,
        continuation,
        compositeIndexes: parent.indexingPolicy?.compositeIndexes || [],
      };
      try {
        return q.exec(data, options);
      } catch (err) {
        (err as { badRequest?: boolean }).badRequest = true;
        throw err;
      }
    } finally {
      if (observers.size) {
        const execution: QueryExecution = { sql: params.query, documents, candidates, containerSize, indexed, ms: performance.now() - started };
        for (const observer of observers) observer(execution);
      }
    }
  };
}

function documentsOf(documents: Documents, rids: ReadonlySet<string>): unknown[] {
  const data: unknown[] = [];
  for (const rid of rids) {
    const item = documents._data.get(rid);
    if (item) data.push(item.read());
  }
  return data;
}

function candidatesOf(documents: Documents, query: Query, parameters: ExecOptions['parameters']): ReadonlySet<string> | undefined {
  const filters = equalityFilters(query.ast, parameters);
  if (!filters) return undefined;
  return indexOf(documents).candidates(filters, documents._data.size, function* all() {
    for (const [rid, item] of documents._data) yield [rid, item.read()] as [string, unknown];
  });
}
