import type { Cost, PartitionCheck } from './cosmos-economy';
import type { PartitionSizes } from './logical-partitions';
import type { PointMeasure, ScaleRun, TurnsMeasure } from './scale-point';
import type { TurnResult } from './turns';

/** Azure's cap on one logical partition. */
const LOGICAL_PARTITION_GB = 20;

const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const n = (v: number) => v.toLocaleString('en-US');
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : '—');

/** The store work of a turn row: its case's (a move's two directions share the case's figures, shown on its "(all)" row). */
const costOf = (costs: Cost[], label: string) => costs.find((c) => label === c.operation || label === `${c.operation} (all)`);
const work = (c: Cost | undefined) => (c ? `${c.repoCalls} (${c.http})` : '—');

/**
 * `my deals` at the scale point: the same store work as at the baseline, and p50 within `tolerance` of the baseline's
 * when both are measured in alternating rounds in the same process (so only the container's size differs).
 */
export function myDealsFlat(run: ScaleRun, tolerance: number): { text: string; ok: boolean } | undefined {
  const small = costOf(run.baseline.costs, 'my deals');
  const big = costOf(run.scale.costs, 'my deals');
  const alone = run.baseline.turns.find((t) => t.label === 'my deals');
  const scaled = run.scale.turns.find((t) => t.label === 'my deals');
  if (!small || !big) return undefined;
  const { baseline: a, scale: b } = run.interleaved;
  const sameWork = small.repoCalls === big.repoCalls && small.http === big.http;
  const p50 = b.p50 / a.p50;
  return {
    text: `interleaved: p50 ${ms(b.p50)} vs ${ms(a.p50)} ms (${p50.toFixed(2)}×), p99 ${ms(b.p99)} vs ${ms(a.p99)} ms; measured one after the other: p50 ${ms(scaled?.latency.p50)} vs ${ms(alone?.latency.p50)} ms (${ratio(scaled?.latency.p50, alone?.latency.p50)}); ${big.repoCalls} vs ${small.repoCalls} store operations, ${big.http} vs ${small.http} HTTP; the query handed ${run.scale.scanned['my deals / pipeline'] ?? '—'} vs ${run.baseline.scanned['my deals / pipeline'] ?? '—'} documents`,
    ok: sameWork && p50 <= tolerance,
  };
}

function turnRows(run: ScaleRun): string[] {
  const { baseline: b, scale: s, baselineBeside: bb } = run;
  const out = [
    `| command | p50 / p95 / p99 ms at ${n(b.deals)} | at ${n(s.deals)} | ratio p50, p99 | at ${n(b.deals)} with the ${n(s.deals)} held | ratio p50, p99 to that | store operations (HTTP) at ${n(b.deals)} → ${n(s.deals)} | n |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const l = (t: TurnResult | undefined) => (t ? `${ms(t.latency.p50)} / ${ms(t.latency.p95)} / ${ms(t.latency.p99)}` : '—');
  const both = (big: TurnResult, small: TurnResult | undefined) => `${ratio(big.latency.p50, small?.latency.p50)}, ${ratio(big.latency.p99, small?.latency.p99)}`;
  for (const big of s.turns) {
    const small = b.turns.find((t) => t.label === big.label);
    const beside = bb.turns.find((t) => t.label === big.label);
    const cut = big.cutShort || small?.cutShort || beside?.cutShort ? ' ¹' : '';
    out.push(`| ${big.label}${cut} | ${l(small)} | ${l(big)} | ${both(big, small)} | ${l(beside)} | ${both(big, beside)} | ${work(costOf(b.costs, big.label))} → ${work(costOf(s.costs, big.label))} | ${small?.latency.n ?? '—'} / ${big.latency.n} / ${beside?.latency.n ?? '—'} |`);
  }
  return out;
}

function partitionRows(point: PointMeasure): string[] {
  const out = [
    '| container | partition key | documents | data | logical partitions | largest logical partition | its size (share of 20 GB) | its documents | largest first-level value (tenant): what a key of its path alone would make one partition | tallied in |',
    '|---|---|---:|---:|---:|---|---:|---:|---|---:|',
  ];
  for (const p of point.partitions as PartitionSizes[]) {
    const largest = p.largest;
    const share = largest ? `${((largest.bytes / (LOGICAL_PARTITION_GB * 1024 ** 3)) * 100).toFixed(largest.bytes > 1024 ** 3 ? 0 : 4)} %` : '—';
    out.push(`| ${p.container} | ${p.paths.map((x) => `\`${x}\``).join(', ')} | ${n(p.documents)} | ${size(p.bytes)} | ${n(p.partitions)} | ${largest ? `\`${largest.key}\`` : '—'} | ${largest ? `${size(largest.bytes)} (${share})` : '—'} | ${largest ? n(largest.documents) : '—'} | ${p.largestPrefix ? `${size(p.largestPrefix.bytes)} in ${n(p.largestPrefix.documents)} documents` : '— (one level)'} | ${(p.ms / 1000).toFixed(1)} s |`);
  }
  return out;
}

/** Section 5 of a run: the scale point against its baseline, and the largest logical partitions. */
export function renderScale(run: ScaleRun, check: PartitionCheck): string[] {
  const { baseline: b, scale: s } = run;
  const L: string[] = ['', '### 5. Scale point', ''];
  L.push(
    `The same turns at ${n(b.deals)} deals over ${n(b.owners)} owners (baseline) and at **${n(s.deals)} deals over ${n(s.owners)} owners**, one tenant, the measured user owning 100 at both; each point on a database of its own (both dropped at the end), a full GC before each point's turns, its logical partitions tallied after them. About 2 % of the other owners' deals have a long history (60–260 more changes) whose oldest entries are archived in documents of the deal's own: ${n(s.archives)} archive documents at the scale point (${n(b.archives)} at the baseline). DealDesk with production settings; ${run.turnOptions}; \`my deals\` and \`pipeline\` are one use case under two words; the search is the compose box's **Search deals** for "${run.search}" (about one deal in eight matches; a page is 25 deals, each read whole).`,
    '',
  );
  L.push(
    `Seeding ${n(s.deals)} deals with the bulk API (100 operations a request, 4 in flight, through the embedded server's HTTPS endpoint) took **${(s.seedMs / 1000).toFixed(1)} s** (${n(Math.round((s.deals * 1000) / s.seedMs))} deals/s; ~${s.docBytes} bytes a deal); the baseline ${(b.seedMs / 1000).toFixed(1)} s. The benchmark process (embedded store holding every document, DealDesk, fake Teams, load generator): RSS **${s.memory.rssAfterSeedMb} MB** and heap ${s.memory.heapAfterSeedMb} MB after seeding the scale point, peak RSS **${s.memory.peakRssMb} MB** while it was measured (V8 heap limit ${s.memory.heapLimitMb} MB). The scale point took ${(s.wallMs / 1000).toFixed(0)} s from seeding to its tally, the baseline ${(b.wallMs / 1000).toFixed(0)} s${run.wallMs ? `; the whole part ${(run.wallMs / 1000).toFixed(0)} s` : ''}.`,
    '',
  );
  L.push(...turnRows(run));
  const { interleaved: il } = run;
  L.push('', `\`my deals\` interleaved: both points' DealDesk running at once in this process, ${il.rounds} alternating rounds of ${il.perRound} turns each (after 10 warm-up turns each), so the machine's other load falls on both alike: p50 / p95 / p99 **${ms(il.baseline.p50)} / ${ms(il.baseline.p95)} / ${ms(il.baseline.p99)} ms at ${n(b.deals)}** and **${ms(il.scale.p50)} / ${ms(il.scale.p95)} / ${ms(il.scale.p99)} ms at ${n(s.deals)}** (p50 ${ratio(il.scale.p50, il.baseline.p50)}, p99 ${ratio(il.scale.p99, il.baseline.p99)}; n = ${il.baseline.n} each).`);
  if ([...s.turns, ...b.turns].some((t) => t.cutShort)) L.push('', '¹ stopped by the time budget before the planned number of turns.');
  const scanned = Object.keys({ ...b.scanned, ...s.scanned });
  const num = (v: number | undefined) => (v === undefined ? '—' : n(v));
  const points: Array<[string, TurnsMeasure]> = [[`${n(b.deals)}`, b], [`${n(s.deals)}`, s], [`${n(b.deals)} with the ${n(s.deals)} held`, run.baselineBeside]];
  L.push('', 'Inside the turn, per point (the query engine is the embedded server\'s, patched with equality indexes: src/local/query-engine-patch.ts, equality-index.ts):', '');
  L.push(`| point | my deals' query: documents handed to the engine | its engine time, mean ms | listPipeline through the repository, median of 51, ms | search query: documents | its engine time, mean ms | GC pauses per turn, ms | major GCs (ms) | longest GC pause, ms |`, '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [label, p] of points) {
    L.push(`| ${label} | ${num(p.scanned['my deals / pipeline'])} | ${ms(p.engineMs['my deals / pipeline'])} | ${ms(p.repositoryMs)} | ${num(p.scanned.search)} | ${ms(p.engineMs.search)} | ${ms(p.gc.pauseMsPerTurn)} | ${p.gc.major} (${p.gc.majorMs}) | ${ms(p.gc.maxPauseMs)} |`);
  }
  L.push('', `Logical partitions at ${n(s.deals)} deals: every document of each container grouped by its full partition key value (the container's key paths from CONTAINERS), UTF-8 JSON size of each document as the store holds it (system fields included), computed in the store by a user-defined function so that only key values and sizes cross the wire:`, '');
  L.push(...partitionRows(s));
  L.push('', `Every query of these turns was checked as in section 3: ${check.turnQueries} queries on users' turns in this run, ${check.violations.length} without the tenant's partition key or tenant filter.`);
  return L;
}
