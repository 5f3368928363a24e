/**
 * The embedded server's query engine (@zeit/cosmosdb-query 0.7.2, used by @vercel/cosmosdb-server 1.0.1), seen
 * from the benchmark: how many documents each query scans, and an optional work-around of its quadratic scan.
 *
 * Every query compiles to JavaScript that starts with
 *   $c.reduce(($, c) => typeof c !== "undefined" ? [...$, { c: c }] : $, [])
 * i.e. it copies the growing accumulator once per document: O(n²) in the container's size, before any filter.
 * It also recompiles the query (`new Function`) on every execution, so V8 never optimises the scan.
 * Measured here: a `my deals` query takes ~0.5 s at 10,000 deals, ~7 s at 20,000, and over the SDK's 60 s
 * timeout at 100,000 (see docs/benchmarks.md). DealDesk at 100,000 deals cannot be benchmarked on the stock
 * engine at all: the notifier's first sweep blocks the process for minutes.
 *
 * `setEngine('fixed')` (the bench's prototype of the proposed fix F1, never used by DealDesk itself) rewrites
 * that prologue to a linear `filter().map()` and caches the compiled function per query text; answers are
 * unchanged (same filter, sort and paging code). `setEngine('stock')` restores the package's behaviour.
 */
export type Engine = 'stock' | 'fixed';

interface QueryObject {
  code: string;
  exec(collection: unknown[], options?: ExecOptions): unknown;
}
interface ExecOptions {
  parameters?: Array<{ name: string; value: unknown }>;
  udf?: unknown;
  maxItemCount?: number;
  continuation?: unknown;
  compositeIndexes?: unknown;
}

/** Per SQL text: executions and documents handed to the engine (the whole container, every time). */
export interface ScanRecord {
  executions: number;
  docsScanned: number;
  ms: number;
}

const PROLOGUE = /\$c\.reduce\(\(\$, (\w+)\) => typeof \1 !== "undefined" \? \[\.\.\.\$, \{\s*\1: \1\s*\}\] : \$, \[\]\)/g;

let engine: Engine = 'stock';
let installed = false;
export const scans = new Map<string, ScanRecord>();

export function setEngine(next: Engine): void {
  install();
  engine = next;
}

export const currentEngine = (): Engine => engine;

function install(): void {
  if (installed) return;
  installed = true;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const query = require('@zeit/cosmosdb-query') as { default: (sql: string) => QueryObject };
  const executor = {
    aggregateFunctions: require('@zeit/cosmosdb-query/lib/aggregate-functions') as unknown,
    builtinFunctions: require('@zeit/cosmosdb-query/lib/builtin-functions') as unknown,
    helpers: require('@zeit/cosmosdb-query/lib/helpers') as unknown,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const proto = Object.getPrototypeOf(query.default('SELECT * FROM c')) as QueryObject & { _query: string };
  const codeOf = Object.getOwnPropertyDescriptor(proto, 'code')!.get!;
  const stockExec = proto.exec;
  const compiled = new Map<string, (...args: unknown[]) => unknown>();

  Object.defineProperty(proto, 'code', {
    configurable: true,
    get(this: QueryObject) {
      const code = codeOf.call(this) as string;
      return engine === 'fixed' ? code.replace(PROLOGUE, '$c.filter(($1) => typeof $1 !== "undefined").map(($1) => ({ $1: $1 }))') : code;
    },
  });

  proto.exec = function exec(this: QueryObject & { _query: string }, collection: unknown[], options: ExecOptions = {}) {
    const started = performance.now();
    try {
      if (engine === 'stock') return stockExec.call(this, collection, options);
      const code = this.code;
      let run = compiled.get(code);
      if (!run) {
        // The same construction as the package's executor, compiled once per query text.
        // eslint-disable-next-line no-new-func
        run = new Function(`"use strict";return (${code})`)() as (...args: unknown[]) => unknown;
        compiled.set(code, run);
      }
      const params: Record<string, unknown> = {};
      for (const { name, value } of options.parameters ?? []) params[name.slice(1)] = value;
      return run(executor.aggregateFunctions, executor.builtinFunctions, collection, executor.helpers, options.udf ?? {}, params, options.maxItemCount, options.continuation, options.compositeIndexes);
    } finally {
      const record = scans.get(this._query) ?? { executions: 0, docsScanned: 0, ms: 0 };
      record.executions += 1;
      record.docsScanned += collection.length;
      record.ms += performance.now() - started;
      scans.set(this._query, record);
    }
  };
}
