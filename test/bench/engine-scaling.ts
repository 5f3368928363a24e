import { performance } from 'node:perf_hooks';
import type { Store } from '../../src/ports/store.port';
import type { BenchServer } from './bench-store';
import { type Engine, scans, setEngine } from './query-engine';
import { colleagues, ME, seedDeals, TENANT } from './seed';
import { round } from './stats';

export interface EnginePoint {
  engine: Engine;
  totalDeals: number;
  /** The `my deals` query (listByOwner, open only) through the repository, median of `reps`, ms. */
  myDealsMs: number;
  found: number;
  /** Documents the engine was handed per `my deals` query: the container (stock, linear), the owner's (fixed). */
  documents: number;
}

/** The repository query behind `my deals`, timed (median of `reps`). */
export async function timeMyDealsQuery(store: Store, reps = 3): Promise<{ ms: number; found: number }> {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    found = (await store.deals.listByOwner(TENANT, ME.id, { openOnly: true })).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: round(times[Math.floor(times.length / 2)]!, 1), found };
}

/**
 * How the embedded server's query time grows with the container: `my deals` (the user always owns 100 deals) at
 * each size, on each engine given (query-engine.ts). Each size gets a fresh database, dropped afterwards. The stock
 * engine is quadratic: keep it to 20,000 deals or fewer (a single query takes ~7 s there, over 60 s at 100,000).
 */
export async function engineCurve(server: BenchServer, sizes: number[], engines: Engine[]): Promise<EnginePoint[]> {
  const points: EnginePoint[] = [];
  for (const totalDeals of sizes) {
    const { store, database } = await server.openStore(`curve${totalDeals}`);
    await seedDeals(database, { total: totalDeals, owners: Math.min(2000, Math.max(2, Math.floor(totalDeals / 50))), mine: Math.min(100, totalDeals), colleagues: colleagues(10), now: new Date().toISOString() });
    for (const engine of engines) {
      setEngine(engine);
      scans.clear();
      const { ms, found } = await timeMyDealsQuery(store, engine === 'stock' && totalDeals > 5000 ? 1 : 3);
      const scan = [...scans.entries()].find(([sql]) => sql.includes('c.owner.id = @ownerId'))?.[1];
      // Stock runs the query plan as a second query: count the query's own share.
      const documents = scan ? Math.round(scan.docsScanned / scan.executions) : 0;
      points.push({ engine, totalDeals, myDealsMs: ms, found, documents });
    }
    await database.delete();
  }
  return points;
}
