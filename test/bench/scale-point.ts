import { getHeapStatistics } from 'node:v8';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import type { Database } from '@azure/cosmos';
import type { Store } from '../../src/ports/store.port';
import type { FakeTeams } from '../support/fake-teams';
import { startApp } from './app';
import { containerOf } from './bench-containers';
import type { BenchServer } from './bench-store';
import { type Cost, type PartitionCheck, turnCosts } from './cosmos-economy';
import { Driver } from './driver';
import { logicalPartitions, type PartitionSizes } from './logical-partitions';
import { currentEngine, scans, setEngine } from './query-engine';
import { colleagues, ME, type SeededDeals, seedDeals, seedPeopleWithChats, TENANT } from './seed';
import { collectGarbage, type LatencyStats, round, summarise } from './stats';
import { dealDeskCases, measureTurns, pipelineAndSearchCases, type TurnOptions, type TurnResult } from './turns';

/** Deals of the tenant and how many people own them (the measured user, owning 100, is one of them). */
export interface PointSize {
  deals: number;
  owners: number;
}

/** The turns at one point: latency, store work, and what the embedded server and the process did meanwhile. */
export interface TurnsMeasure {
  turns: TurnResult[];
  costs: Cost[];
  /** Documents the query engine was handed per execution, by command (the equality index's candidates). */
  scanned: Record<string, number>;
  /** The engine's own time per execution of those queries, ms (inside the embedded server, no HTTP). */
  engineMs: Record<string, number>;
  /** The repository query behind `my deals` (listPipeline) called directly, median of 51, ms (HTTP to the store included). */
  repositoryMs: number;
  /** Garbage collection while the turns ran: pauses per turn (all kinds), and the major (mark-compact) ones. */
  gc: { turns: number; pauseMsPerTurn: number; major: number; majorMs: number; maxPauseMs: number };
}

/** What one point measured: its data, its turns, its partitions. */
export interface PointMeasure extends PointSize, TurnsMeasure {
  /** Archive documents among the deals (older history of the deals with a long one). */
  archives: number;
  seedMs: number;
  /** JSON bytes of a deal document, mean of the first 200. */
  docBytes: number;
  partitions: PartitionSizes[];
  memory: { rssAfterSeedMb: number; heapAfterSeedMb: number; peakRssMb: number; heapLimitMb: number };
  /** Seeding, reading the partitions and measuring the turns. */
  wallMs: number;
}

export interface ScaleRun {
  baseline: PointMeasure;
  scale: PointMeasure;
  /** The baseline's turns again, its small database unchanged, while this process also holds the scale point's data. */
  baselineBeside: TurnsMeasure;
  /**
   * `my deals` on both points in alternating rounds, both DealDeskes running in this process at once: whatever else
   * the machine does hits both alike, so the ratio is the container's size alone.
   */
  interleaved: { rounds: number; perRound: number; baseline: LatencyStats; scale: LatencyStats };
  turnOptions: string;
  /** The search term: an account word matching about one deal in eight (a full page of 25 at every size). */
  search: string;
  /** The whole scale part: both points, seeding included. */
  wallMs?: number;
}

/** Share of deals with a long, partly archived history (a deal changed 60–260 times: 1 to 21 archive chunks). */
export const ARCHIVED_SHARE = 0.02;
const SEARCH = 'northwind';
/** The SQL that shows which command a scanned query belongs to. */
const QUERIES: Record<string, (sql: string) => boolean> = {
  'my deals / pipeline': (sql) => sql.includes('c.owner.id = @ownerId') && sql.includes("c.stage != 'Close'"),
  search: (sql) => sql.includes('ARRAY_CONTAINS(c.searchKeys, @k0)'),
};

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

interface SeededPoint {
  size: PointSize;
  store: Store;
  database: Database;
  seeded: SeededDeals;
  memory: PointMeasure['memory'];
}

/**
 * The same turns at a small baseline point and at the scale point, each on a database of its own; then the
 * baseline's turns once more while the scale point's data is still held, which separates what the container's size
 * does to a turn from what a process holding that much data does to it (the embedded store lives in this process's
 * memory; in Azure mode it does not). DealDesk runs with production settings; the commands are those whose cost
 * could follow the data: `my deals`, `pipeline`, `deal <ref>`, a typed stage move, and a compose-box search.
 */
export async function measureScale(server: BenchServer, connector: FakeTeams, sizes: { baseline: PointSize; scale: PointSize }, options: TurnOptions, check: PartitionCheck, log: (line: string) => void, rounds = 20): Promise<ScaleRun> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const points: SeededPoint[] = [];
  try {
    const measure = async (size: PointSize): Promise<PointMeasure> => {
      const started = performance.now();
      peakRss = process.memoryUsage().rss;
      const point = await seedPoint(server, connector, size, log);
      points.push(point);
      const turns = await measureTurnsAt(server, connector, point, options, check, log);
      // After the turns: tallying stringifies every document in the store, garbage the turns should not inherit.
      const partitionsStarted = performance.now();
      const partitions = await logicalPartitions(point.database);
      const deals = partitions.find((p) => p.container === containerOf('deals').id);
      log(`  logical partitions read in ${((performance.now() - partitionsStarted) / 1000).toFixed(1)} s; largest of ${deals?.container}: ${deals?.largest?.key} ${mb(deals?.largest?.bytes ?? 0)} MB in ${deals?.largest?.documents} documents (${deals?.partitions} partitions)`);
      point.memory.peakRssMb = mb(peakRss);
      return { ...size, ...turns, archives: point.seeded.archives, seedMs: round(point.seeded.ms, 0), docBytes: point.seeded.docBytes, partitions, memory: point.memory, wallMs: round(performance.now() - started, 0) };
    };
    const baseline = await measure(sizes.baseline);
    const scale = await measure(sizes.scale);
    log(`scale: the ${sizes.baseline.deals.toLocaleString('en-US')}-deal baseline again, the ${sizes.scale.deals.toLocaleString('en-US')}-deal data still held`);
    const baselineBeside = await measureTurnsAt(server, connector, points[0]!, options, check, log);
    const interleaved = await interleavedMyDeals(connector, points[0]!, points[1]!, rounds, Math.max(5, Math.floor(options.iterations / 20)));
    log(`scale: my deals interleaved, ${interleaved.rounds} rounds of ${interleaved.perRound}: p50 ${interleaved.baseline.p50.toFixed(1)} ms at ${sizes.baseline.deals.toLocaleString('en-US')}, ${interleaved.scale.p50.toFixed(1)} ms at ${sizes.scale.deals.toLocaleString('en-US')}`);
    return { baseline, scale, baselineBeside, interleaved, search: SEARCH, turnOptions: `sequential latency (${options.warmup} warm-up turns, then up to ${options.iterations} turns or ${options.budgetMs / 1000} s per command), no throughput phase` };
  } finally {
    clearInterval(sampler);
    for (const point of points) await point.database.delete();
    collectGarbage();
  }
}

async function seedPoint(server: BenchServer, connector: FakeTeams, size: PointSize, log: (line: string) => void): Promise<SeededPoint> {
  const now = new Date().toISOString();
  const { store, database } = await server.openStore(`scale${size.deals}`);
  log(`scale: seeding ${size.deals.toLocaleString('en-US')} deals over ${size.owners.toLocaleString('en-US')} owners (bulk, ${ARCHIVED_SHARE * 100} % with archived history)`);
  const team = colleagues(10);
  await seedPeopleWithChats(store, team, connector.url, now);
  const seeded = await seedDeals(database, { total: size.deals, owners: size.owners, mine: 100, colleagues: team, now, archivedShare: ARCHIVED_SHARE });
  collectGarbage();
  const memory = { rssAfterSeedMb: mb(process.memoryUsage().rss), heapAfterSeedMb: mb(process.memoryUsage().heapUsed), peakRssMb: 0, heapLimitMb: mb(getHeapStatistics().heap_size_limit) };
  log(`  seeded in ${(seeded.ms / 1000).toFixed(1)} s (${Math.round((size.deals * 1000) / seeded.ms)} deals/s, ${seeded.archives.toLocaleString('en-US')} archive documents); RSS ${memory.rssAfterSeedMb} MB, heap ${memory.heapAfterSeedMb} of ${memory.heapLimitMb} MB`);
  return { size, store, database, seeded, memory };
}

async function measureTurnsAt(server: BenchServer, connector: FakeTeams, point: SeededPoint, options: TurnOptions, check: PartitionCheck, log: (line: string) => void): Promise<TurnsMeasure> {
  const { store, seeded } = point;
  const repositoryMs = await medianMs(51, () => store.deals.listPipeline(TENANT, ME.id));
  const { app, logger } = await startApp(store);
  try {
    const driver = new Driver(app.url, connector);
    await driver.say('help'); // the conversation and the person are remembered once
    const measured = new Set(['my deals', 'deal <ref>', 'move <ref> to <stage>']);
    const cases = [...(await dealDeskCases(driver, store, seeded, 1)).filter((c) => measured.has(c.name)), ...pipelineAndSearchCases(driver, SEARCH, Math.min(25, Math.floor(point.size.deals / 20)))];
    setEngine(currentEngine()); // the same engine, observed (the scans are recorded from the first setEngine on)
    collectGarbage(); // each point's turns start on a collected heap, not on the garbage of seeding or an earlier point
    scans.clear();
    const pauses = watchGc();
    const turns = await measureTurns(cases, options, (line) => log(`  ${line.trim()}`));
    const gc = pauses.stop(turns.filter((t) => !t.label.endsWith('(all)')).reduce((sum, t) => sum + t.latency.n, 0) + cases.length * options.warmup);
    const scanned: Record<string, number> = {};
    const engineMs: Record<string, number> = {};
    for (const [label, matches] of Object.entries(QUERIES)) {
      const matching = [...scans.entries()].filter(([sql]) => matches(sql)).map(([, scan]) => scan);
      const executions = matching.reduce((sum, scan) => sum + scan.executions, 0);
      if (executions === 0) continue;
      scanned[label] = Math.round(matching.reduce((sum, scan) => sum + scan.docsScanned, 0) / executions);
      engineMs[label] = round(matching.reduce((sum, scan) => sum + scan.ms, 0) / executions, 2);
    }
    const costs = await turnCosts(server.meter, cases, 5, check);
    if (logger.counts.error > 0) throw new Error(`DealDesk logged ${logger.counts.error} errors at ${point.size.deals} deals, e.g. ${JSON.stringify(logger.problems[0]).slice(0, 300)}`);
    log(`  my deals' query: ${scanned['my deals / pipeline']} documents, ${engineMs['my deals / pipeline']} ms in the engine, ${repositoryMs} ms through the repository (median); GC ${gc.pauseMsPerTurn} ms a turn`);
    return { turns, costs, scanned, engineMs, repositoryMs, gc };
  } finally {
    await app.stop();
  }
}

/** `my deals` on `a` then on `b`, `perRound` turns each, `rounds` times (after a warm-up of each). */
async function interleavedMyDeals(connector: FakeTeams, a: SeededPoint, b: SeededPoint, rounds: number, perRound: number): Promise<ScaleRun['interleaved']> {
  const apps = [await startApp(a.store), await startApp(b.store)];
  try {
    const drivers = apps.map(({ app }) => new Driver(app.url, connector));
    const samples: number[][] = [[], []];
    const turn = async (k: number) => {
      const started = performance.now();
      const card = await drivers[k]!.say('my deals');
      const ms = performance.now() - started;
      if (!/Prospect/.test(JSON.stringify(card))) throw new Error(`my deals: unexpected reply ${JSON.stringify(card).slice(0, 300)}`);
      return ms;
    };
    for (const k of [0, 1]) {
      await drivers[k]!.say('help');
      for (let i = 0; i < 10; i++) await turn(k);
    }
    collectGarbage();
    for (let round = 0; round < rounds; round++) {
      for (const k of round % 2 ? [1, 0] : [0, 1]) for (let i = 0; i < perRound; i++) samples[k]!.push(await turn(k));
    }
    return { rounds, perRound, baseline: summarise(samples[0]!), scale: summarise(samples[1]!) };
  } finally {
    for (const { app } of apps) await app.stop();
  }
}

async function medianMs(times: number, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return round(samples[Math.floor(samples.length / 2)]!, 2);
}

/** Collects GC pauses (PerformanceObserver 'gc') until stopped. */
function watchGc(): { stop(turns: number): TurnsMeasure['gc'] } {
  let total = 0;
  let major = 0;
  let majorMs = 0;
  let maxPause = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      total += entry.duration;
      maxPause = Math.max(maxPause, entry.duration);
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        major += 1;
        majorMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop(turns) {
      observer.disconnect();
      return { turns, pauseMsPerTurn: round(total / Math.max(1, turns), 2), major, majorMs: round(majorMs, 0), maxPauseMs: round(maxPause, 1) };
    },
  };
}
