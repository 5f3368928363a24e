/**
 * The embedded server's query engine, seen from the benchmark: which engine runs, and how many documents each
 * query hands it.
 *
 * DealDesk's embedded server (src/local/embedded-cosmos.ts) installs the fix of F1/F1b, src/local/query-engine-patch.ts:
 * linear scans compiled once per SQL text, an equality index per container (a query filtering on `c.owner.id` is
 * handed the owner's documents only), query plans answered without running the query. The engines compared:
 *   - 'fixed'  DealDesk as shipped (the patch's 'indexed' mode);
 *   - 'linear' the fix without the index (every query still scans the whole container);
 *   - 'stock'  the package as installed: every query compiles to `$c.reduce(($, c) => [...$, { c }], [])`, O(n²)
 *              in the container's size, recompiled on every execution, and the SDK's query plans run as full
 *              queries (~0.6 s for `my deals` at 10,000 deals, over the SDK's 60 s timeout at 100,000).
 * The mode is process-wide, so the bench switches it between measurements.
 */
import { observeQueries, type QueryEngineMode, queryEngineMode, setQueryEngineMode } from '../../src/local/query-engine-patch';

export type Engine = 'stock' | 'linear' | 'fixed';

/** Per SQL text: executions and documents handed to the engine (the whole container, or the index's candidates). */
export interface ScanRecord {
  executions: number;
  docsScanned: number;
  ms: number;
}

export const scans = new Map<string, ScanRecord>();
let observing = false;

const MODES: Record<Engine, QueryEngineMode> = { stock: 'stock', linear: 'linear', fixed: 'indexed' };

export function setEngine(next: Engine): void {
  if (!MODES[next]) throw new Error(`unknown engine "${String(next)}" (stock, linear or fixed)`);
  setQueryEngineMode(MODES[next]);
  if (observing) return;
  observing = true;
  observeQueries(({ sql, documents, ms }) => {
    const record = scans.get(sql) ?? { executions: 0, docsScanned: 0, ms: 0 };
    record.executions += 1;
    record.docsScanned += documents;
    record.ms += ms;
    scans.set(sql, record);
  });
}

export const currentEngine = (): Engine => (Object.keys(MODES) as Engine[]).find((e) => MODES[e] === queryEngineMode())!;

export const ENGINE_DESCRIPTIONS: Record<Engine, string> = {
  fixed: 'fixed (as DealDesk ships it: src/local/query-engine-patch.ts, linear scans compiled once, an equality index per container, query plans answered without running the query)',
  linear: 'linear (the fix without its equality index: every query scans the whole container)',
  stock: 'stock (as installed: quadratic scan, recompiled on every execution, query plans run as full queries)',
};
