/**
 * `npm run bench` (full, < 5 min on 2 cores) and `npm run bench -- --quick` (< 1 min): DealDesk's turn cost against
 * the framework floor, fan-out under Teams's limits, Cosmos economy and footprint; results go to
 * docs/benchmarks.md (newest first). Options:
 *   --quick           small sizes (2,000 deals, 100 recipients, fewer turns)
 *   --no-write        print the section instead of writing docs/benchmarks.md
 *   --engine=stock    the embedded server's query engine as installed, to show the before (quadratic: only with --quick);
 *   --engine=linear   the shipped fix without its equality index (default: fixed, as DealDesk ships it; see query-engine.ts)
 *   --profile         CPU-profile the DealDesk turn phase (inspector, same as node --cpu-prof) and summarise it
 *   --only=a,b        run only some parts: footprint, curve, fanout, economy, turns, scale, assistant
 *                     (assistant: the offline update extractor's precision and recall per field on the tuning, held-out and blind-2 sets;
 *                     no store needed; it replaces the "Assistant (offline extractor)" section of docs/benchmarks.md)
 *                     (scale: the same turns at 1,000 deals and at 300,000 deals over 10,000 owners, with the largest
 *                     logical partition of each container; --quick: 500 and 30,000 deals over 1,000 owners)
 *   --try=a,b         bench-only prototypes of proposed fixes (test/bench/prototypes.ts): pacing
 *   --fanout-rps=N    TEAMS_APP_RPS for the fan-out (default 50)
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, freemem, loadavg, platform, release, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { dealCard } from '../../src/cards/deal-card';
import { translator } from '../../src/i18n/locale';
import { FakeTeams } from '../support/fake-teams';
import { startApp } from './app';
import { type BenchServer, startBenchServer } from './bench-store';
import { economy, type PartitionCheck, turnCosts } from './cosmos-economy';
import { Driver } from './driver';
import { engineCurve } from './engine-scaling';
import { fanOut } from './fan-out';
import { floorCases, measureTurns, dealDeskCases, type TurnOptions, type TurnResult } from './turns';
import { startFloorBot } from './floor-bot';
import { buildToTemp, bundleToTemp, coldStarts } from './footprint';
import { heapUnderLoad, sourceMapCost } from './heap-limits';
import { HEAP_LIMIT_MB } from '../../deploy/runtime-limits';
import { summarise as summariseProfile } from './profile-summary';
import { type Engine, ENGINE_DESCRIPTIONS, scans, setEngine } from './query-engine';
import { type BenchResults, renderSection, type ScalePoint, writeReport } from './report';
import { colleagues, seedDeals, seedPeopleWithChats, TENANT } from './seed';
import { rssMb, sleep } from './stats';
import { measureScale } from './scale-point';
import { assistantSection, writeAssistantSection } from './assistant';

const args = process.argv.slice(2).filter(Boolean);
const quick = args.includes('--quick');
const write = !args.includes('--no-write');
const profile = args.includes('--profile');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const runs = (part: string) => !only || only.includes(part);
const tries = new Set(args.find((a) => a.startsWith('--try='))?.slice(6).split(',') ?? []);
const engine = (args.find((a) => a.startsWith('--engine='))?.slice(9) ?? 'fixed') as Engine;

const SIZES = quick
  ? { deals: 2_000, owners: 200, mine: 100, smallDeals: 500, recipients: 100, curve: [500, 1_000, 2_000], coldRuns: 1, scale: { deals: 30_000, owners: 1_000 } }
  : { deals: 100_000, owners: 2_000, mine: 100, smallDeals: 1_000, recipients: 1_000, curve: [1_000, 2_500, 5_000, 10_000], coldRuns: 2, scale: { deals: 300_000, owners: 10_000 } };
const TURNS: TurnOptions = quick
  ? { warmup: 5, iterations: 60, budgetMs: 2_000, concurrency: 4, throughputMs: 1_000 }
  : { warmup: 10, iterations: 300, budgetMs: 7_000, concurrency: 4, throughputMs: 2_000 };
const QUIET: TurnOptions = quick ? { ...TURNS, iterations: 30, budgetMs: 800, throughputMs: 0 } : { ...TURNS, iterations: 150, budgetMs: 2_500, throughputMs: 0 };

const log = (line: string) => console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${line}`);
const t0 = performance.now();

/** Busy CPU ticks of the whole machine, and of this process with its waited-for children (/proc, Linux). */
function cpuTicks(): { machine: number; mine: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    const machine = fields.reduce((a, b) => a + b, 0) - idle;
    const self = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    const mine = Number(self[11]) + Number(self[12]) + Number(self[13]) + Number(self[14]);
    return { machine, mine };
  } catch {
    return undefined;
  }
}
const ticksAtStart = cpuTicks();

async function main(): Promise<void> {
  if (runs('assistant')) {
    log('assistant: the offline update extractor over the tuning, held-out and blind-2 sets');
    const section = assistantSection(new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
    if (write) writeAssistantSection(join(__dirname, '..', '..', 'docs', 'benchmarks.md'), section);
    console.log(`\n${section}\n`);
    // The extractor needs no store: asked for alone, nothing else runs.
    if (only?.every((part) => part === 'assistant')) return;
  }
  const notes: string[] = [];
  if (tries.size) notes.push(`**Prototypes on (bench-only, not in src/): ${[...tries].join(', ')}** — see test/bench/prototypes.ts; compare with a run without them.`);
  const partitions: PartitionCheck = { turnQueries: 0, violations: [], backgroundSweeps: [] };
  const results: BenchResults = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    quick,
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    machine: { cores: cpus().length, cpu: cpus()[0]?.model.trim() ?? '?', memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version, os: `${platform()} ${release()}`, loadStart: loadavg().map((v) => Number(v.toFixed(2))), loadEnd: [] },
    engine: ENGINE_DESCRIPTIONS[engine],
    sizes: { deals: SIZES.deals, owners: SIZES.owners, mine: SIZES.mine, recipients: SIZES.recipients },
    wallMs: 0,
    seeding: { deals: 0, ms: 0, docBytes: 0 },
    floor: [],
    turns: [],
    turnOptions: `sequential latency (${TURNS.warmup} warm-up turns, then up to ${TURNS.iterations} turns or ${TURNS.budgetMs / 1000} s per command), then throughput with ${TURNS.concurrency} concurrent clients for ${TURNS.throughputMs / 1000} s; fake connector without rate limits (one user typing); load generator in the same process`,
    scaling: [],
    engineCurve: [],
    turnCosts: [],
    economy: [],
    partitions,
    footprint: { cold: [], children: [], inProcess: { afterSeedMb: 0, afterTurnsMb: 0 } },
    notes,
  };
  log(`${quick ? 'quick' : 'full'} run on ${results.machine.cores} cores, ${results.machine.memoryGb} GB (${Math.round(freemem() / 1024 ** 3)} GB free), Node ${process.version}, load average ${results.machine.loadStart.join(' / ')}`);

  // ---- 4a. cold start, before this process holds any data
  const build = runs('footprint') || runs('turns') ? buildToTemp() : {};
  // What `npm run build` ships (F7): the RSS of a DealDesk process is measured on it too.
  const bundle: { dir?: string; error?: string } = runs('footprint') || runs('turns') ? await bundleToTemp() : {};
  if (!build.dir && build.error) results.footprint.compiledError = build.error;
  if (runs('footprint')) {
    log('footprint: cold starts (tsx)');
    results.footprint.cold.push(await coldStarts('tsx', SIZES.coldRuns));
    if (build.dir) {
      log('footprint: cold starts (compiled)');
      results.footprint.cold.push(await coldStarts('compiled', SIZES.coldRuns, build.dir));
    }
    if (bundle.dir) {
      log('footprint: cold starts (npm run build: the esbuild bundle, as shipped)');
      results.footprint.cold.push(await coldStarts('bundled', SIZES.coldRuns, bundle.dir));
    } else if (bundle.error) notes.push(`The bundle (npm run build) could not be built: ${bundle.error}`);
  }

  const server = await startBenchServer();
  const connector = await new FakeTeams({ limits: false }).start();
  try {
    if (runs('curve')) {
      log(`query engine curve: ${SIZES.curve.join(', ')} deals, stock and fixed`);
      results.engineCurve = await engineCurve(server, SIZES.curve, ['stock', 'fixed']);
    }
    setEngine(engine);

    if (runs('fanout')) {
      log(`fan-out: ${SIZES.recipients} 1:1 chats + 5 channels`);
      results.fanOut = await fanOut(server, SIZES.recipients, Number(args.find((a) => a.startsWith('--fanout-rps='))?.slice(13) ?? 50), tries.has('pacing'));
      log(`  ${results.fanOut.delivered}/${results.fanOut.recipients.total} delivered in ${(results.fanOut.timeToLastMs / 1000).toFixed(1)} s, ${results.fanOut.sendRate}/s, ${results.fanOut.duplicates} duplicates, ${results.fanOut.throttled.total} × 429`);
    }

    if (runs('economy')) {
      log('cosmos economy: single operations');
      const economyTeams = await new FakeTeams({ limits: false }).start();
      try {
        const { costs, tick } = await economy(server, economyTeams, partitions);
        results.economy = costs;
        results.tick = tick;
      } finally {
        await economyTeams.stop();
      }
    }

    if (runs('turns')) await turnBenchmark(server, connector, results, partitions, notes, bundle.dir);

    // Last: the scale point holds the most data, and every earlier database has been dropped by now.
    if (runs('scale')) {
      const started = performance.now();
      const baseline = { deals: SIZES.smallDeals, owners: SIZES.smallDeals / 10 };
      log(`scale point: ${SIZES.scale.deals.toLocaleString('en-US')} deals over ${SIZES.scale.owners.toLocaleString('en-US')} owners, against ${baseline.deals.toLocaleString('en-US')} over ${baseline.owners}`);
      results.scale = await measureScale(server, connector, { baseline, scale: SIZES.scale }, { ...TURNS, throughputMs: 0 }, partitions, log);
      results.scale.wallMs = Math.round(performance.now() - started);
      const my = results.scale.scale.turns.find((t) => t.label === 'my deals');
      const scanned = results.scale.scale.scanned['my deals / pipeline'];
      if (my) results.scaling.push(scalePoint(SIZES.scale.deals, my.latency, scanned === undefined ? undefined : { executions: 1, docsScanned: scanned }));
    }
  } finally {
    await connector.stop();
    await server.close();
    if (build.dir) rmSync(build.dir, { recursive: true, force: true });
    if (bundle.dir) rmSync(bundle.dir, { recursive: true, force: true });
  }

  results.wallMs = performance.now() - t0;
  results.machine.loadEnd = loadavg().map((v) => Number(v.toFixed(2)));
  const ticksAtEnd = cpuTicks();
  if (ticksAtStart && ticksAtEnd) {
    const others = ticksAtEnd.machine - ticksAtStart.machine - (ticksAtEnd.mine - ticksAtStart.mine);
    results.machine.othersCpuShare = Math.max(0, others / ((results.wallMs / 10) * results.machine.cores));
  }
  const section = renderSection(results);
  if (write) {
    const file = join(__dirname, '..', '..', 'docs', 'benchmarks.md');
    writeReport(file, section, HEADER);
    log(`results written to docs/benchmarks.md (${(results.wallMs / 1000).toFixed(0)} s)`);
  } else console.log(`\n${section}`);
}

async function turnBenchmark(server: BenchServer, connector: FakeTeams, results: BenchResults, partitions: PartitionCheck, notes: string[], artifactDir: string | undefined): Promise<void> {
  const now = new Date().toISOString();
  // ---- seeding (not measured)
  log(`seeding ${SIZES.deals.toLocaleString('en-US')} deals (bulk)`);
  const opened = await server.openStore('turns');
  const { database, databaseId } = opened;
  const store = opened.store;
  const team = colleagues(10);
  await seedPeopleWithChats(store, team, connector.url, now);
  const seeded = await seedDeals(database, { total: SIZES.deals, owners: SIZES.owners, mine: SIZES.mine, colleagues: team, now });
  results.seeding = { deals: SIZES.deals, ms: seeded.ms, docBytes: seeded.docBytes };
  log(`  seeded in ${(seeded.ms / 1000).toFixed(1)} s (${Math.round((SIZES.deals * 1000) / seeded.ms)}/s), ~${seeded.docBytes} bytes a deal`);
  global.gc?.();
  results.footprint.inProcess.afterSeedMb = rssMb();

  // ---- the floor (same process, same data held, DealDesk not running)
  const sample = (await store.deals.get(TENANT, seeded.mine[0]!))!.deal;
  const floorBot = await startFloorBot(dealCard(translator('en-US'), 'en-US', sample));
  try {
    log('floor: bare teams-ai bot, fixed card');
    results.floor = await measureTurns(floorCases(new Driver(floorBot.url, connector)), TURNS, log);
  } finally {
    await floorBot.stop();
  }

  // ---- DealDesk, production settings
  const { app, logger } = await startApp(store);
  let session: Session | undefined;
  try {
    const driver = new Driver(app.url, connector);
    const cases = await dealDeskCases(driver, store, seeded, TURNS.concurrency);
    await driver.say('help'); // the conversation and the person are remembered once
    // Idle background cost: what the sweeps take with nobody typing.
    const idleMs = quick ? 1_000 : 3_000;
    const cpu0 = process.cpuUsage();
    await sleep(idleMs);
    const idleCpu = process.cpuUsage(cpu0);
    scans.clear();
    const tickStart = performance.now();
    await app.notifier.runOnce();
    const tickMs = performance.now() - tickStart;
    const schedulerStart = performance.now();
    await app.scheduler.runOnce();
    const schedulerTickMs = performance.now() - schedulerStart;
    const docsScannedPerTick = [...scans.values()].reduce((sum, s) => sum + s.docsScanned, 0);
    results.idleBackground = { cpuShare: (idleCpu.user + idleCpu.system) / 1000 / idleMs, tickMs, schedulerTickMs, docsScannedPerTick };
    log(`  idle: sweeps use ${Math.round(((idleCpu.user + idleCpu.system) / 1000 / idleMs) * 100)} % of a core; a tick takes ${tickMs.toFixed(0)} + ${schedulerTickMs.toFixed(0)} ms`);

    if (profile) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    log('DealDesk turns (production settings)');
    scans.clear();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    results.turns = await measureTurns(cases, TURNS, log);
    loop.disable();
    results.turnEventLoop = { p50: Math.round(loop.percentile(50) / 1e6), p99: Math.round(loop.percentile(99) / 1e6), max: Math.round(loop.max / 1e6) };
    const myDealsScan = [...scans.entries()].find(([sql]) => sql.includes('c.owner.id = @ownerId'));
    if (session) {
      const { profile: cpuProfile } = await session.post('Profiler.stop');
      const file = join(tmpdir(), `dealdesk-bench-turns-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(cpuProfile));
      const top = summariseProfile(cpuProfile as never, 15);
      notes.push(`CPU profile of the turn phase: ${file}; heaviest functions (self time):\n\n\`\`\`\n${top.join('\n')}\n\`\`\`\n`);
      log(`profile written to ${file}`);
    }
    const my = results.turns.find((t) => t.label === 'my deals');
    if (my) results.scaling.push(scalePoint(SIZES.deals, my.latency, myDealsScan?.[1]));

    log('store cost per turn');
    results.turnCosts = await turnCosts(server.meter, cases, quick ? 3 : 5, partitions);
    global.gc?.();
    results.footprint.inProcess.afterTurnsMb = rssMb();
    if (logger.counts.error > 0) notes.push(`DealDesk logged ${logger.counts.error} errors during the turn benchmark, e.g. ${JSON.stringify(logger.problems[0]).slice(0, 300)}`);
  } finally {
    if (session) session.disconnect();
    await app.stop();
  }

  // ---- the same turns with the sweeps nearly idle (a setting, to separate turn cost from background cost)
  {
    const quiet = await startApp(store, { NOTIFY_POLL_MS: '60000' });
    try {
      await sleep(quick ? 500 : 2_000); // the loops' first ticks
      log('DealDesk turns, sweeps nearly idle (NOTIFY_POLL_MS=60000)');
      const driver = new Driver(quiet.app.url, connector);
      await driver.say('help');
      results.turnsQuiet = await measureTurns(await dealDeskCases(driver, store, seeded, 1), QUIET, log);
    } finally {
      await quiet.app.stop();
    }
  }

  // ---- The heap a DealDesk process of its own needs under turns and a fan-out (the store outside it, as in Azure
  // mode), with V8's default limit and with smaller ones: the shipped limit (deploy/runtime-limits.ts) comes from here.
  if (artifactDir) {
    const variants = quick
      ? [{}, { limitMb: 192 }, { limitMb: HEAP_LIMIT_MB }, { limitMb: 128 }, { limitMb: 96 }, { limitMb: HEAP_LIMIT_MB, sourceMaps: true }]
      : [{}, { limitMb: 192 }, { limitMb: HEAP_LIMIT_MB }, { limitMb: 128 }, { limitMb: 96 }, { limitMb: HEAP_LIMIT_MB, sourceMaps: true }];
    log(`heap: a DealDesk process from the artifact under ${quick ? 10 : 40} turns of each command and a ${SIZES.recipients + 5}-recipient fan-out, heap limits ${variants.map((v) => `${v.limitMb ?? 'default'}${v.sourceMaps ? ' + source maps' : ''}`).join(', ')}`);
    const heapTeam = colleagues(10, 'heap-colleague');
    const freshStore = async (k: number) => {
      const opened = await server.openStore(`heap${k}`);
      await seedPeopleWithChats(opened.store, heapTeam, connector.url, now);
      const heapSeed = await seedDeals(opened.database, { total: SIZES.smallDeals, owners: Math.min(SIZES.owners, SIZES.smallDeals / 10), mine: SIZES.mine, colleagues: heapTeam, now });
      return { store: opened.store, databaseId: opened.databaseId, seeded: heapSeed, drop: async () => void (await opened.database.delete()) };
    };
    results.heap = await heapUnderLoad({ artifactDir, freshStore, endpoint: server.endpoint, key: server.key, connector, recipients: SIZES.recipients, perCase: quick ? 10 : 40, variants, log });
    results.sourceMap = sourceMapCost(join(artifactDir, 'dist', 'main.js.map'));
    log(`  source map: ${results.sourceMap.mapMb} MB, decoded ${results.sourceMap.heapMb} MB of heap in ${results.sourceMap.ms} ms`);
  } else notes.push('The heap limits were not measured: the artifact (npm run build) could not be built.');
  await database.delete();
  global.gc?.();

  // ---- my deals at a small total
  {
    log(`my deals at ${SIZES.smallDeals.toLocaleString('en-US')} total deals`);
    const smallOpened = await server.openStore('small');
    const small = smallOpened;
    const smallTeam = colleagues(10);
    await seedPeopleWithChats(small.store, smallTeam, connector.url, now);
    const smallSeed = await seedDeals(small.database, { total: SIZES.smallDeals, owners: Math.min(SIZES.owners, SIZES.smallDeals / 10), mine: SIZES.mine, colleagues: smallTeam, now });
    const { app } = await startApp(small.store);
      try {
      const driver = new Driver(app.url, connector);
      await driver.say('help');
      scans.clear();
      const [myDeals] = await measureTurns((await dealDeskCases(driver, small.store, smallSeed, 1)).slice(0, 1), { ...TURNS, throughputMs: 0 }, log);
      const scan = [...scans.entries()].find(([sql]) => sql.includes('c.owner.id = @ownerId'));
      results.scaling.unshift(scalePoint(SIZES.smallDeals, myDeals!.latency, scan?.[1]));
    } finally {
      await app.stop();
      await small.database.delete();
    }
  }
}

function scalePoint(totalDeals: number, latency: TurnResult['latency'], scan: { executions: number; docsScanned: number } | undefined): ScalePoint {
  return { totalDeals, p50: latency.p50, p99: latency.p99, n: latency.n, docsScanned: scan ? Math.round(scan.docsScanned / Math.max(1, scan.executions)) : undefined };
}

const HEADER = `# DealDesk benchmarks

\`npm run bench\` measures DealDesk over real HTTP on the embedded store; \`npm run bench -- --quick\` runs a small version.
See test/bench/run.ts for the options.`;

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
