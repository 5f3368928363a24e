import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Store } from '../../src/ports/store.port';
import { FakeTeams, TEAMS_RATE_LIMITS } from '../support/fake-teams';
import { FakeIngestion } from '../support/fake-ingestion';
import { Driver } from './driver';
import { ownerMovesDeal, seedFanOut } from './fan-out';
import { rssOf, spawnDealDesk } from './footprint';
import type { SeededDeals } from './seed';
import { round, sleep, summarise } from './stats';
import { dealDeskCases } from './turns';

export interface HeapRun {
  /** --max-old-space-size, MB; undefined: V8's default (about 2 GB here). */
  limitMb?: number;
  sourceMaps: boolean;
  survived: boolean;
  /** How the process ended when it did not survive (exit code or signal, and its last output line). */
  death?: string;
  /** The largest heap still in use right after a major GC (what the process needs), and the largest seen at all. */
  peakLiveMb: number;
  peakUsedMb: number;
  majorGcs: number;
  majorGcMs: number;
  rssAfterStartMb: number;
  peakRssMb: number;
  turns: number;
  turnP50Ms: number;
  turnP99Ms: number;
  fanOut: { recipients: number; delivered: number; ms: number };
}

const PROBE = join(__dirname, 'heap-probe.cjs');

/**
 * One DealDesk process per heap limit, started from the built artifact as the shipped command starts it (plus the
 * benchmark's heap probe, test/bench/heap-probe.cjs), in Azure mode's shape: the store outside it (this benchmark's
 * store, `databaseId`), the Application Insights exporter on (a local ingestion stand-in), production polling
 * (NOTIFY_POLL_MS=1000) but alerts sent at once (ALERT_COALESCE_MS=0). The load: `perCase` turns of each command,
 * then a fan-out to `recipients` 1:1 chats + 5 channels through a fake Teams enforcing Teams's limits (5 % random
 * 429s), with ten turns a second going on during it. A run with `sourceMaps` starts a copy of the artifact whose
 * bundle names its map, with --enable-source-maps.
 */
/** A database of its own for one run, seeded for the turns: runs never inherit each other's deliveries. */
export interface HeapRunStore {
  store: Store;
  databaseId: string;
  seeded: SeededDeals;
  drop(): Promise<void>;
}

export async function heapUnderLoad(options: {
  artifactDir: string;
  /** A fresh, seeded database for run `k`: a run sharing one would inherit the unsent deliveries of the runs before it (to their stopped fake Teams), which then take its send budget. */
  freshStore: (k: number) => Promise<HeapRunStore>;
  endpoint: string;
  key: string;
  connector: FakeTeams;
  recipients: number;
  perCase: number;
  variants: Array<{ limitMb?: number; sourceMaps?: boolean }>;
  log: (line: string) => void;
}): Promise<HeapRun[]> {
  const runs: HeapRun[] = [];
  const ingestion = await new FakeIngestion().start();
  // For the runs with --enable-source-maps: the same artifact, its bundle naming its map (the shipped one does not).
  const mapped = mkdtempSync(join(tmpdir(), 'dealdesk-bench-mapped-'));
  cpSync(join(options.artifactDir, 'dist'), join(mapped, 'dist'), { recursive: true });
  appendFileSync(join(mapped, 'dist', 'main.js'), '\n//# sourceMappingURL=main.js.map\n');
  try {
    for (const [k, variant] of options.variants.entries()) {
      const fresh = await options.freshStore(k);
      try {
        runs.push(await oneRun({ ...options, ...fresh, artifactDir: variant.sourceMaps ? mapped : options.artifactDir }, variant, k, ingestion));
      } finally {
        await fresh.drop();
      }
      const r = runs.at(-1)!;
      options.log(`  heap ${r.limitMb ?? 'default'}${r.sourceMaps ? ' + source maps' : ''}: ${r.survived ? 'survived' : `died (${r.death})`}; live ≤ ${r.peakLiveMb} MB, used ≤ ${r.peakUsedMb} MB, RSS ≤ ${r.peakRssMb} MB; ${r.majorGcs} major GCs (${r.majorGcMs} ms); turn p99 ${r.turnP99Ms} ms; fan-out ${r.fanOut.delivered}/${r.fanOut.recipients} in ${(r.fanOut.ms / 1000).toFixed(1)} s`);
    }
  } finally {
    await ingestion.stop();
    rmSync(mapped, { recursive: true, force: true });
  }
  return runs;
}

async function oneRun(options: Parameters<typeof heapUnderLoad>[0] & Omit<HeapRunStore, 'drop'>, variant: { limitMb?: number; sourceMaps?: boolean }, k: number, ingestion: FakeIngestion): Promise<HeapRun> {
  const probeDir = mkdtempSync(join(tmpdir(), 'dealdesk-bench-heap-'));
  const probeFile = join(probeDir, 'heap.json');
  const teams = await new FakeTeams({ limits: TEAMS_RATE_LIMITS, random429Rate: 0.05, random429RetryAfterSec: 1, seed: 11 + k }).start();
  // Deal numbers above any the benchmark seeds (it numbers from 1001 up).
  const seed = await seedFanOut(options.store, teams.url, options.recipients, 900_001 + k, `heap${k}-`);
  const flags = [...(variant.limitMb ? [`--max-old-space-size=${variant.limitMb}`] : []), ...(variant.sourceMaps ? ['--enable-source-maps'] : [])];
  const run: HeapRun = { limitMb: variant.limitMb, sourceMaps: Boolean(variant.sourceMaps), survived: false, peakLiveMb: Number.NaN, peakUsedMb: Number.NaN, majorGcs: 0, majorGcMs: 0, rssAfterStartMb: Number.NaN, peakRssMb: Number.NaN, turns: 0, turnP50Ms: Number.NaN, turnP99Ms: Number.NaN, fanOut: { recipients: seed.expected.length, delivered: 0, ms: Number.NaN } };
  let output = '';
  let child: Awaited<ReturnType<typeof spawnDealDesk>> | undefined;
  const latencies: number[] = [];
  try {
    child = await spawnDealDesk({
      command: [...flags, '--require', PROBE, join(options.artifactDir, 'dist', 'main.js')],
      cwd: options.artifactDir,
      env: {
        NODE_OPTIONS: '', HEAP_PROBE_FILE: probeFile, COSMOS_ENDPOINT: options.endpoint, COSMOS_KEY: options.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: options.databaseId,
        NOTIFY_POLL_MS: '1000', ALERT_COALESCE_MS: '0', APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString, NODE_EXTRA_CA_CERTS: ingestion.caFile,
      },
      timeoutMs: 60_000,
    });
    child.child.stderr!.on('data', (d) => (output += d));
    await sleep(1000);
    run.rssAfterStartMb = rssOf(child.child.pid!)?.rss ?? Number.NaN;
    const driver = new Driver(child.url, options.connector);
    const cases = await dealDeskCases(driver, options.store, options.seeded, 1);
    const turn = async (i: number) => {
      const c = cases[i % cases.length]!;
      const t0 = performance.now();
      await c.op(4_000_000 + k * 100_000 + i, 0);
      latencies.push(performance.now() - t0);
    };
    let i = 0;
    for (; i < options.perCase * cases.length; i++) await turn(i);
    // One failure as production sees them: Teams answers a reply 500, the turn fails, its error (and stack) is logged
    // and recorded as an exception. With --enable-source-maps, this first stack trace decodes the whole map.
    options.connector.failFor('a:personal-alex', { status: 500, times: 1 });
    await driver.say('deal D-1001').then(() => undefined, () => undefined);
    options.connector.clearFaults();
    // The fan-out, with a busy team's turns going on meanwhile (10 a second: more would be an alert flood of its own,
    // the measured user's moves alerting their colleagues, competing for the same 50 sends a second).
    const isAlert = (s: { kind: string; body: Record<string, any> }) => s.kind === 'send' && s.body.type === 'message';
    const started = performance.now();
    await ownerMovesDeal(child.url, teams.url, seed.deal.id);
    const reached = () => new Set(teams.sent.filter(isAlert).map((s) => s.conversationId));
    const deadline = Date.now() + Math.max(60_000, seed.expected.length * 120);
    while (seed.expected.some((c) => !reached().has(c)) && Date.now() < deadline) await Promise.all([turn(i++), sleep(100)]);
    run.fanOut = { recipients: seed.expected.length, delivered: seed.expected.filter((c) => reached().has(c)).length, ms: round(performance.now() - started, 0) };
    await sleep(1000);
    const rss = rssOf(child.child.pid!);
    run.peakRssMb = rss?.peak ?? Number.NaN;
    run.survived = child.child.exitCode === null && child.child.signalCode === null;
  } catch (e) {
    const text = String((e as Error).message);
    run.death = `${child ? '' : 'during start-up, '}${(/FATAL ERROR: [^\n]*/.exec(text)?.[0] ?? text.split('\n')[0]!).slice(0, 120)}`;
  } finally {
    if (child && (child.child.exitCode !== null || child.child.signalCode !== null)) {
      run.survived = false;
      const last = /FATAL ERROR: [^\n]*/.exec(output)?.[0] ?? output.trim().split('\n').filter((l) => l.trim() && !/^\s*\d+: 0x/.test(l)).at(-1) ?? '';
      run.death = `after ${run.turns || latencies.length} turns, ${child.child.exitCode ?? child.child.signalCode}, ${last.slice(0, 100)}`;
    }
    await child?.stop();
    await teams.stop();
    try {
      const probe = JSON.parse(readFileSync(probeFile, 'utf8')) as { peakLiveMb: number; peakUsedMb: number; majorGcs: number; majorGcMs: number };
      Object.assign(run, { peakLiveMb: probe.peakLiveMb, peakUsedMb: probe.peakUsedMb, majorGcs: probe.majorGcs, majorGcMs: probe.majorGcMs });
    } catch {
      // no probe file: the process died before its first sample
    }
    rmSync(probeDir, { recursive: true, force: true });
  }
  run.turns = latencies.length;
  if (latencies.length) {
    const stats = summarise(latencies);
    run.turnP50Ms = round(stats.p50, 1);
    run.turnP99Ms = round(stats.p99, 1);
  }
  return run;
}

/** What decoding the artifact's source map costs when a process maps its first stack trace with --enable-source-maps. */
export function sourceMapCost(mapFile: string): { mapMb: number; heapMb: number; ms: number } {
  const out = execFileSync(process.execPath, ['--expose-gc', '-e', `
    const { SourceMap } = require('node:module'); const fs = require('node:fs');
    gc(); const before = process.memoryUsage().heapUsed; const t0 = performance.now();
    const map = new SourceMap(JSON.parse(fs.readFileSync(${JSON.stringify(mapFile)}, 'utf8'))); map.findEntry(0, 0);
    const ms = performance.now() - t0; gc();
    console.log(JSON.stringify({ heap: process.memoryUsage().heapUsed - before, ms, keep: typeof map }));`], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const { heap, ms } = JSON.parse(out) as { heap: number; ms: number };
  return { mapMb: round(readFileSync(mapFile).length / 1e6, 1), heapMb: round(heap / 1048576, 0), ms: round(ms, 0) };
}
