import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Cost, PartitionCheck } from './cosmos-economy';
import type { EnginePoint } from './engine-scaling';
import type { FanOutResult } from './fan-out';
import type { ColdStart } from './footprint';
import type { HeapRun } from './heap-limits';
import { HEAP_LIMIT_MB } from '../../deploy/runtime-limits';
import type { TurnResult } from './turns';
import type { ScaleRun } from './scale-point';
import { myDealsFlat, renderScale } from './scale-report';

export interface ScalePoint {
  totalDeals: number;
  p50: number;
  p99: number;
  n: number;
  /** Documents the embedded engine handed to the `my deals` query per execution. */
  docsScanned?: number;
}

export interface BenchResults {
  date: string;
  quick: boolean;
  command: string;
  machine: { cores: number; cpu: string; memoryGb: number; node: string; os: string; loadStart: number[]; loadEnd: number[]; othersCpuShare?: number };
  turnEventLoop?: { p50: number; p99: number; max: number };
  engine: string;
  sizes: { deals: number; owners: number; mine: number; recipients: number };
  wallMs: number;
  seeding: { deals: number; ms: number; docBytes: number };
  floor: TurnResult[];
  turns: TurnResult[];
  turnsQuiet?: TurnResult[];
  turnOptions: string;
  scaling: ScalePoint[];
  engineCurve: EnginePoint[];
  idleBackground?: { cpuShare: number; tickMs: number; schedulerTickMs: number; docsScannedPerTick: number };
  turnCosts: Cost[];
  economy: Cost[];
  tick?: Cost;
  partitions: PartitionCheck;
  fanOut?: FanOutResult;
  footprint: { cold: ColdStart[]; compiledError?: string; children: Array<{ mode: string; afterStartMb: number; afterTurnsMb: number; peakMb: number; turns: number; turnsMs?: number }>; inProcess: { afterSeedMb: number; afterTurnsMb: number } };
  /** A DealDesk process from the artifact under turns and a fan-out, per heap limit (test/bench/heap-limits.ts). */
  heap?: HeapRun[];
  /** What the artifact's source map costs to decode (what --enable-source-maps does at the first stack trace). */
  sourceMap?: { mapMb: number; heapMb: number; ms: number };
  /** The same turns at a small point and at the scale point (test/bench/scale-point.ts). */
  scale?: ScaleRun;
  notes: string[];
}

const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const yes = (ok: boolean) => (ok ? '**met**' : '**missed**');
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const TARGETS = {
  p50VsFloor: 2,
  p99Ms: 25,
  scalingTolerance: 1.1,
  sendsPerSecond: 45,
  moveOps: 2,
  buttonOps: 2,
  myDealsOps: 2,
  readyMs: 2000,
  rssMb: 200,
} as const;

function floorFor(results: BenchResults, kind: 'message' | 'invoke'): TurnResult | undefined {
  return results.floor.find((f) => f.kind === kind);
}

function turnTable(results: BenchResults, rows: TurnResult[], withThroughput: boolean): string[] {
  const out = [
    `| command | n | p50 ms | p95 ms | p99 ms | max ms | CPU ms per turn | ${withThroughput ? 'throughput (turns/s, 4 clients) | ' : ''}p50 ÷ floor p50 | target (p50 ≤ 2× floor, p99 ≤ 25 ms) |`,
    `|---|---:|---:|---:|---:|---:|---:|${withThroughput ? '---:|' : ''}---:|---|`,
  ];
  for (const r of rows) {
    const floor = floorFor(results, r.kind);
    const ratio = floor ? r.latency.p50 / floor.latency.p50 : Number.NaN;
    const ok = ratio <= TARGETS.p50VsFloor && r.latency.p99 <= TARGETS.p99Ms;
    out.push(`| ${r.label}${r.cutShort ? ' ¹' : ''} | ${r.latency.n} | ${ms(r.latency.p50)} | ${ms(r.latency.p95)} | ${ms(r.latency.p99)} | ${ms(r.latency.max)} | ${ms(r.cpuMsPerTurn)} | ${withThroughput ? `${r.throughput ? r.throughput.toFixed(0) : '—'} | ` : ''}${Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : '—'} | ${yes(ok)} |`);
  }
  return out;
}

function costTable(costs: Cost[]): string[] {
  const out = ['| operation | store operations | HTTP requests (query plans) | RU reported | what | follow-up work (background) |', '|---|---:|---:|---:|---|---|'];
  for (const c of costs) {
    const follow = c.followUp ? `${c.followUp.repoCalls} ops, ${c.followUp.http} HTTP: ${c.followUp.breakdown}` : '—';
    out.push(`| ${c.operation}${c.n > 1 ? ` (mean of ${c.n})` : ''} | ${c.repoCalls} | ${c.http} (${c.queryPlans}) | ${c.charge ?? '—'} | ${c.breakdown} | ${follow} |`);
  }
  return out;
}

export function renderSection(r: BenchResults): string {
  const L: string[] = [];
  const extras = r.command.split(' -- ')[1]?.split(' ').filter((a) => a !== '--quick' && a !== '--no-write') ?? [];
  const kind = `${r.quick ? 'quick run' : 'full run'}${extras.length ? ` (${extras.join(' ')})` : ''}`;
  L.push(`## ${r.date} — ${kind}`, '');
  L.push(`- Command: \`${r.command}\` (wall time ${(r.wallMs / 1000).toFixed(0)} s)`);
  L.push(`- Machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGb} GB memory, Node ${r.machine.node}, ${r.machine.os}; load average (1/5/15 min) ${r.machine.loadStart.join(' / ')} at the start, ${r.machine.loadEnd.join(' / ')} at the end; other processes used ${r.machine.othersCpuShare === undefined ? '?' : `${(r.machine.othersCpuShare * 100).toFixed(0)} %`} of the machine's CPU during the run (from /proc/stat, minus this process and its children)${(r.machine.othersCpuShare ?? 0) > 0.1 ? ' — **other work competed for the 2 cores: latencies are higher and noisier than on an idle machine; the CPU-per-turn columns are less affected**' : ''}`);
  if (r.seeding.deals > 0) L.push(`- Data: ${r.sizes.deals.toLocaleString('en-US')} deals across ${r.sizes.owners.toLocaleString('en-US')} owners in one tenant, the measured user owning ${r.sizes.mine}; seeded with the bulk API in ${(r.seeding.ms / 1000).toFixed(1)} s (~${r.seeding.docBytes} bytes a deal; not part of any number below)`);
  L.push(`- Store: embedded server (@vercel/cosmosdb-server 1.0.1) through @azure/cosmos 4.9.3, in the benchmark's process; query engine: **${r.engine}**`);
  L.push(`- Turns: ${r.turnOptions}`);
  for (const note of r.notes) L.push(`- ${note}`);
  L.push('');

  // ---- targets at a glance
  const dd = r.turns.filter((t) => !t.label.endsWith('(all)'));
  const worstRatio = Math.max(...dd.map((t) => t.latency.p50 / (floorFor(r, t.kind)?.latency.p50 ?? Number.NaN)));
  const worstP99 = Math.max(...dd.map((t) => t.latency.p99));
  const small = r.scaling.find((s) => s.totalDeals < r.sizes.deals);
  const big = r.scaling.find((s) => s.totalDeals === r.sizes.deals);
  const cost = (name: string) => [...r.economy, ...r.turnCosts].find((c) => c.operation.startsWith(name));
  const move = cost('move stage');
  const advance = cost('button deal.advance');
  const back = cost('button deal.move');
  const myDeals = r.turnCosts.find((c) => c.operation === 'my deals') ?? cost('my deals');
  const tsx = r.footprint.cold.find((c) => c.mode === 'tsx');
  const compiled = r.footprint.cold.find((c) => c.mode === 'compiled');
  const f = r.fanOut;
  L.push('### Targets', '');
  L.push('| target | measured | |', '|---|---|---|');
  if (dd.length) L.push(`| Turn p50 within 2× the floor, every command | worst ${worstRatio.toFixed(1)}× | ${yes(worstRatio <= TARGETS.p50VsFloor)} |`);
  if (dd.length) L.push(`| Turn p99 ≤ 25 ms, every command | worst ${ms(worstP99)} ms | ${yes(worstP99 <= TARGETS.p99Ms)} |`);
  if (small && big) L.push(`| my deals at ${big.totalDeals.toLocaleString('en-US')} deals no slower than at ${small.totalDeals.toLocaleString('en-US')} (p50, 10 % noise allowed) | ${ms(big.p50)} ms vs ${ms(small.p50)} ms (${(big.p50 / small.p50).toFixed(1)}×) | ${yes(big.p50 <= small.p50 * TARGETS.scalingTolerance)} |`);
  const flat = r.scale ? myDealsFlat(r.scale, TARGETS.scalingTolerance) : undefined;
  if (r.scale && flat) L.push(`| my deals flat at ${r.scale.scale.deals.toLocaleString('en-US')} deals over ${r.scale.scale.owners.toLocaleString('en-US')} owners against ${r.scale.baseline.deals.toLocaleString('en-US')}: the same store requests, p50 within 10 % (measured interleaved in one process) | ${flat.text} | ${yes(flat.ok)} |`);
  if (f) {
    L.push(`| Fan-out ≥ 45 sends/s sustained (90 % of 50/s) | median ${f.sustainedRate}/s per whole second; ${f.sendRate}/s first to last send (${(f.ceilingShare * 100).toFixed(1)} %) | ${yes(f.sustainedRate >= TARGETS.sendsPerSecond)} sustained, ${yes(f.sendRate >= TARGETS.sendsPerSecond)} first to last |`);
    L.push(`| Fan-out: 0 duplicates, 0 lost | ${f.duplicates} duplicates, ${f.lost} lost | ${yes(f.duplicates === 0 && f.lost === 0)} |`);
    L.push(`| Every 429 retried after its Retry-After | ${f.throttled.total} × 429, ${f.throttled.retriedEarly} retried early | ${yes(f.throttled.retriedEarly === 0)} |`);
  }
  if (move) L.push(`| Stage move ≤ 2 store requests (+ its delivery work) | ${move.repoCalls} operations, ${move.http} HTTP (${move.queryPlans} query plans) | ${yes(move.repoCalls <= TARGETS.moveOps)} |`);
  for (const b of [advance, back]) if (b) L.push(`| Button press ≤ 2 store requests: ${b.operation.replace(/ \(.*$/, '')} | ${b.repoCalls} operations, ${b.http} HTTP | ${yes(b.repoCalls <= TARGETS.buttonOps)} |`);
  if (myDeals) L.push(`| my deals ≤ 2 store requests, single-partition | ${myDeals.repoCalls} operation(s), ${myDeals.http} HTTP (${myDeals.queryPlans} query plan); ${r.partitions.violations.length} cross-partition turn queries of ${r.partitions.turnQueries} | ${yes(myDeals.repoCalls <= TARGETS.myDealsOps && r.partitions.violations.length === 0)} |`);
  if (tsx) L.push(`| Start ≤ 2 s to ready (\`npm start\`, tsx) | median ${ms(median(tsx.readyMs))} ms (${ms(median(tsx.readyCpuMs))} ms of CPU) | ${yes(median(tsx.readyMs) <= TARGETS.readyMs)} |`);
  if (compiled) L.push(`| Start ≤ 2 s to ready (tsc output, not shipped since the bundle) | median ${ms(median(compiled.readyMs))} ms (${ms(median(compiled.readyCpuMs))} ms of CPU) | ${yes(median(compiled.readyMs) <= TARGETS.readyMs)} |`);
  const bundled = r.footprint.cold.find((c) => c.mode === 'bundled');
  if (bundled) L.push(`| Start ≤ 2 s to ready (\`npm run build\`: the esbuild bundle, as shipped) | median ${ms(median(bundled.readyMs))} ms (${ms(median(bundled.readyCpuMs))} ms of CPU) | ${yes(median(bundled.readyMs) <= TARGETS.readyMs)} |`);
  for (const child of r.footprint.children) L.push(`| RSS ≤ 200 MB after the turn benchmark (DealDesk process, store outside; ${child.mode}) | ${child.afterTurnsMb} MB (peak ${child.peakMb} MB) | ${yes(child.afterTurnsMb <= TARGETS.rssMb)} |`);
  const shipped = r.heap?.find((h) => h.limitMb === HEAP_LIMIT_MB && !h.sourceMaps);
  if (shipped) L.push(`| RSS ≤ 200 MB under turns and a fan-out (DealDesk process from the artifact, store outside; as shipped: --max-old-space-size=${HEAP_LIMIT_MB}) | peak ${shipped.peakRssMb} MB${shipped.survived ? '' : ' (the process died)'} | ${yes(shipped.survived && shipped.peakRssMb <= TARGETS.rssMb)} |`);
  L.push('');

  // A run of some parts only (--only) leaves out the sections it measured nothing for: each is cut back after rendering.
  const cutUnless = (measured: boolean, from: number) => {
    if (!measured) L.length = from;
  };

  // ---- 1. turns
  const turnsFrom = L.length;
  L.push('### 1. Turn cost', '');
  L.push('The framework floor (a bare @microsoft/teams-ai bot answering a fixed deal card over the same HTTP path and connector):', '');
  L.push('| floor | n | p50 ms | p95 ms | p99 ms | max ms | CPU ms per turn | throughput (turns/s, 4 clients) |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const fl of r.floor) L.push(`| ${fl.label} | ${fl.latency.n} | ${ms(fl.latency.p50)} | ${ms(fl.latency.p95)} | ${ms(fl.latency.p99)} | ${ms(fl.latency.max)} | ${ms(fl.cpuMsPerTurn)} | ${fl.throughput?.toFixed(0) ?? '—'} |`);
  L.push('', `DealDesk at ${r.sizes.deals.toLocaleString('en-US')} deals, production settings (NOTIFY_POLL_MS=1000, ALERT_COALESCE_MS=60000):`, '');
  L.push(...turnTable(r, r.turns, true));
  if (r.turns.some((t) => t.cutShort)) L.push('', '¹ stopped by the time budget before the planned number of turns.');
  if (r.turnEventLoop) L.push('', `Event-loop delay of the process during these turns: p50 ${r.turnEventLoop.p50} ms, p99 ${r.turnEventLoop.p99} ms, max ${r.turnEventLoop.max} ms.`);
  if (r.turnsQuiet?.length) {
    L.push('', `Diagnostic: the same turns with the background sweeps nearly idle (NOTIFY_POLL_MS=60000, a setting, no code change): what the turn itself costs.`, '');
    L.push(...turnTable(r, r.turnsQuiet, false));
  }
  if (r.idleBackground) {
    const b = r.idleBackground;
    L.push('', `Idle at ${r.sizes.deals.toLocaleString('en-US')} deals (no turns): the notifier and scheduler sweeps keep **${(b.cpuShare * 100).toFixed(0)} % of one core** busy; one dispatch + delivery tick takes ${ms(b.tickMs)} ms and one scheduler tick (deal timers and jobs) ${ms(b.schedulerTickMs)} ms (the engine scanned ${b.docsScannedPerTick.toLocaleString('en-US')} documents meanwhile, the loops' own ticks included: every sweep reads every deal).`);
  }
  L.push('', '`my deals` against the total number of deals (the user always owns 100):', '');
  L.push('| total deals | n | p50 ms | p99 ms | documents scanned per query execution |', '|---:|---:|---:|---:|---:|');
  for (const s of r.scaling) L.push(`| ${s.totalDeals.toLocaleString('en-US')} | ${s.n} | ${ms(s.p50)} | ${ms(s.p99)} | ${s.docsScanned?.toLocaleString('en-US') ?? '—'} |`);
  if (r.engineCurve.length) L.push('', 'The embedded query engine on its own (`my deals` query through the repository, no HTTP turn; stock = as installed, fixed = as DealDesk ships it, src/local/query-engine-patch.ts + equality-index.ts):', '');
  if (r.engineCurve.length) L.push('| total deals | stock engine ms | fixed engine ms |', '|---:|---:|---:|');
  const sizes = [...new Set(r.engineCurve.map((p) => p.totalDeals))];
  for (const size of sizes) {
    const at = (e: string) => r.engineCurve.find((p) => p.totalDeals === size && p.engine === e)?.myDealsMs;
    L.push(`| ${size.toLocaleString('en-US')} | ${ms(at('stock'))} | ${ms(at('fixed'))} |`);
  }

  cutUnless(r.floor.length + r.turns.length + r.engineCurve.length > 0, turnsFrom);

  // ---- 2. fan-out
  if (f) {
    L.push('', '### 2. Fan-out', '');
    L.push(`One alert (the owner moves the deal through /api/messages) to ${f.recipients.total.toLocaleString('en-US')} conversations: ${f.recipients.teamMembers} deal-team members in 1:1 chats (the domain caps a team at 50), ${f.recipients.followingChats} more 1:1 chats following the deal, ${f.recipients.channels} channels following its account. Fake Teams: 50 requests/s per app, 7/1 s · 8/2 s · 60/30 s per conversation, 5 % of sends answered 429 with Retry-After: 1. NOTIFY_POLL_MS=20, ALERT_COALESCE_MS=0; seeding ${(f.seedMs / 1000).toFixed(1)} s (not measured).`, '');
    L.push('| measure | value |', '|---|---|');
    L.push(`| time from the move to the last delivery | ${(f.timeToLastMs / 1000).toFixed(1)} s (first delivery after ${(f.timeToFirstMs / 1000).toFixed(1)} s; all ${f.recipients.total.toLocaleString('en-US')} delivery records created after ${(f.dispatchMs / 1000).toFixed(1)} s) |`);
    L.push(`| achieved send rate (accepted sends, first to last) | ${f.sendRate}/s = ${(f.ceilingShare * 100).toFixed(1)} % of the 50/s ceiling |`);
    L.push(`| delivered / duplicates / lost | ${f.delivered} / ${f.duplicates} / ${f.lost} |`);
    L.push(`| sustained rate (median accepted sends per whole second) | ${f.sustainedRate}/s |`);
    L.push(`| accepted sends / 429s per second | ${f.timeline.map((b) => `${b.sent}/${b.throttled}`).join(' ')} |`);
    L.push(`| 429s (random / rate limit) | ${f.throttled.total} (${f.throttled.random} / ${f.throttled.limit}: ${Object.entries(f.throttleReasons).filter(([k]) => k !== 'random').map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'}); retried before Retry-After: ${f.throttled.retriedEarly} |`);
    L.push(`| DealDesk's limiter granting a send → the request reaching Teams | p50 ${f.grantToArrival.p50} ms, p99 ${f.grantToArrival.p99} ms, max ${f.grantToArrival.max} ms |`);
    L.push(`| event-loop delay of the process during the fan-out | p50 ${f.eventLoop.p50} ms, p99 ${f.eventLoop.p99} ms, max ${f.eventLoop.max} ms; machine load average afterwards ${f.loadAverage.join(' / ')} |`);
    L.push(`| delivery records | ${Object.entries(f.states).map(([k, v]) => `${k} ${v}`).join(', ')}; attempts: ${Object.entries(f.attempts).map(([k, v]) => `${k}× ${v}`).join(', ')} |`);
    L.push(`| store work per delivery (dispatch + send) | ${f.perDelivery.repoCalls} operations, ${f.perDelivery.http} HTTP (${f.perDelivery.queryPlans} query plans): ${f.perDelivery.breakdown} |`);
    L.push(`| CPU of the benchmark process during the fan-out | ${(f.cpuShare * 100).toFixed(0)} % of one core |`);
  }

  // ---- 3. Cosmos economy
  const economyFrom = L.length;
  L.push('', '### 3. Cosmos economy', '');
  L.push('Store operations are repository calls (one Cosmos operation each: point read, create, replace, upsert, patch, query); HTTP requests are what reached the store, including the query plan @azure/cosmos 4.9 fetches before every query. The embedded server reports a request charge of 1 for everything, so the RU column counts requests, not Azure RU.', '');
  if (r.turnCosts.length) {
    L.push(`Per turn at ${r.sizes.deals.toLocaleString('en-US')} deals (steady state, after the conversation and person are remembered):`, '');
    L.push(...costTable(r.turnCosts));
  }
  if (r.economy.length) {
    L.push('', 'Single operations (fresh small database; alerts sent at once; loops otherwise idle):', '');
    L.push(...costTable([...r.economy, ...(r.tick ? [r.tick] : [])]));
  }
  L.push('', `Partitions: ${r.partitions.turnQueries} queries made on users' turns, ${r.partitions.violations.length} without the tenant's partition key or tenant filter${r.partitions.violations.length ? `: ${r.partitions.violations.slice(0, 5).map((v) => `\`${v}\``).join('; ')}` : ''}. Deliberate cross-partition sweeps of the background loops:`, '');
  for (const q of r.partitions.backgroundSweeps) L.push(`- \`${q}\``);

  cutUnless(r.turnCosts.length + r.economy.length > 0, economyFrom);

  // ---- 4. footprint
  const footprintFrom = L.length;
  L.push('', '### 4. Footprint', '');
  L.push('| measure | value |', '|---|---|');
  const startLabel = (mode: string) =>
    mode === 'tsx' ? '`node --import tsx src/main.ts` (what `npm start` runs)' : mode === 'compiled' ? '`tsc` output (to a temporary dist/, `node dist/main.js`; shipped until F7)' : '`npm run build`: the esbuild bundle of src/main.ts, as shipped (`node dist/main.js`)';
  for (const c of r.footprint.cold) L.push(`| cold start to /readyz 200, ${startLabel(c.mode)}, local mode, PLAYGROUND=off | ${c.readyMs.map((v) => `${v} ms`).join(', ')} (median ${ms(median(c.readyMs))} ms; CPU ${c.readyCpuMs.map((v) => `${v} ms`).join(', ')}) |`);
  if (r.footprint.compiledError) L.push(`| compiled start | not measured: ${r.footprint.compiledError} |`);
  for (const c of r.footprint.cold) L.push(`| RSS 1 s after ready (${c.mode}, local mode, empty store) | ${c.rssAfterStartMb} MB |`);
  for (const child of r.footprint.children) L.push(`| RSS of a DealDesk process (${child.mode}) on the ${r.sizes.deals.toLocaleString('en-US')}-deal store (store outside the process, as in Azure mode): after start / after ${child.turns} turns / peak | ${child.afterStartMb} / ${child.afterTurnsMb} / ${child.peakMb} MB${child.turnsMs ? ` (the turns took ${(child.turnsMs / 1000).toFixed(0)} s)` : ''} |`);
  if (r.footprint.inProcess.afterSeedMb > 0) L.push(`| RSS of the benchmark process (DealDesk + embedded store holding every document + fake Teams + load generator): after seeding / after the turn benchmark | ${r.footprint.inProcess.afterSeedMb} / ${r.footprint.inProcess.afterTurnsMb} MB |`);
  if (r.heap?.length) {
    L.push('', `Heap limits: a DealDesk process started from the artifact as shipped (\`node [--max-old-space-size=N] dist/main.js\`, plus the benchmark's heap probe), store outside it, Application Insights exporter on, under the turns of every command, one turn that fails (Teams answers its reply 500: an error logged with its stack, as any failure in production), and then a fan-out to ${r.heap[0]!.fanOut.recipients} recipients with ten turns a second going on. "Live" is the heap still used right after a major GC (what the process needs); "used" includes garbage not yet collected.`, '');
    L.push('| heap limit | survived | live heap, peak | used heap, peak | major GCs (total pause) | RSS after start / peak | turns: n, p50 / p99 ms | fan-out delivered, time |', '|---|---|---:|---:|---:|---:|---:|---:|');
    for (const h of r.heap) L.push(`| ${h.limitMb ? `${h.limitMb} MB` : "V8's default"}${h.sourceMaps ? ' + --enable-source-maps' : ''}${h.limitMb === HEAP_LIMIT_MB && !h.sourceMaps ? ' (as shipped)' : ''} | ${h.survived ? 'yes' : `**no**: ${h.death ?? '?'}`} | ${h.peakLiveMb} MB | ${h.peakUsedMb} MB | ${h.majorGcs} (${h.majorGcMs} ms) | ${h.rssAfterStartMb} / ${h.peakRssMb} MB | ${h.turns}, ${ms(h.turnP50Ms)} / ${ms(h.turnP99Ms)} | ${h.fanOut.delivered}/${h.fanOut.recipients}, ${(h.fanOut.ms / 1000).toFixed(1)} s |`);
  }
  if (r.sourceMap) L.push('', `Source map: dist/main.js.map is ${r.sourceMap.mapMb} MB; decoding it (what \`--enable-source-maps\` does when the first stack trace is formatted) took ${r.sourceMap.heapMb} MB of heap and ${r.sourceMap.ms} ms.`);
  cutUnless(r.footprint.cold.length + r.footprint.children.length + (r.heap?.length ?? 0) > 0 || r.footprint.inProcess.afterSeedMb > 0 || r.sourceMap !== undefined, footprintFrom);

  // ---- 5. scale point
  if (r.scale) L.push(...renderScale(r.scale, r.partitions));
  L.push('');
  return L.join('\n');
}

export const MARKER = '<!-- bench:results (newest first; npm run bench inserts each run here) -->';

/** Inserts the new run right under the marker, keeping the text above it and every earlier run below it. */
export function writeReport(file: string, section: string, header: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `${header}\n\n${MARKER}\n`;
  const at = current.indexOf(MARKER);
  const next = at >= 0 ? `${current.slice(0, at + MARKER.length)}\n\n${section}\n${current.slice(at + MARKER.length).replace(/^\n+/, '\n')}` : `${current.trimEnd()}\n\n${MARKER}\n\n${section}\n`;
  writeFileSync(file, next);
}
