/**
 * The capacity model of docs/capacity.md, as code: a tenant of 10,000 SEs over 5 years, per container.
 *
 *   npx tsx test/bench/capacity-model.ts [snapshot.json …]
 *
 * Each snapshot is a local data dir's `snapshot.json` (containers → items, as `src/local/snapshot.ts` writes it),
 * made by real turns through /api/messages. The documents in it are measured (JSON size as stored, and the number of
 * index terms each write makes: every scalar leaf not under an excluded path, array elements counted one by one);
 * the workload's counts are the assumptions at the top of this file. Prints the tables docs/capacity.md holds.
 */
import { readFileSync } from 'node:fs';
import { CONTAINERS, type ContainerDefinition } from '../../src/store/containers';

/** The workload: stated, not measured (docs/capacity.md says why each is what it is). */
export const WORKLOAD = {
  ses: 10_000,
  /** People DealDesk knows: SEs, their managers, deal-team members (architects, delivery, support) who chat with it. */
  people: 50_000,
  managers: 1_000,
  /** Team channels DealDesk is installed in. */
  channels: 2_000,
  /** New deals per SE per year (a handful of top-tier accounts, several services deals each). */
  dealsPerSePerYear: 30,
  /** Deal writes (changes) per SE per working day: moves, edits, notes, team changes, approvals. */
  changesPerSePerDay: 3,
  /** Alerts per SE per working day and recipients per alert: the issue's figures. */
  alertsPerSePerDay: 2,
  recipientsPerAlert: 5,
  /** Chat turns (commands and card presses) per SE per working day. */
  turnsPerSePerDay: 12,
  workingDaysPerMonth: 21,
  /** Share of a day's work in its busiest hour (Monday's pipeline reviews). */
  busiestHourShare: 0.25,
  retentionDays: 30,
  /** Deals that ask for approval, and follows per channel, mutes per SE per month (net of unmutes). */
  approvalShare: 0.2,
  followsPerChannel: 20,
  mutesPerSePerMonth: 1,
  years: 5,
} as const;

/** Microsoft's published charges by item size ("Understand request unit consumption"), session consistency. */
const PUBLISHED_RU: Array<[kb: number, read: number, write: number]> = [
  [1, 1.0, 4.95], [2, 1.04, 6.29], [4, 1.14, 6.67], [8, 1.33, 7.04], [16, 1.67, 9.52], [32, 2.19, 11.23], [64, 4.76, 22.67], [128, 9.95, 48.19],
];

/** Linear between the published points (a planning figure, not a measurement). */
export function publishedRu(bytes: number, op: 'read' | 'write'): number {
  const kb = Math.max(1, bytes / 1024);
  const col = op === 'read' ? 1 : 2;
  for (let i = 1; i < PUBLISHED_RU.length; i++) {
    const [k0] = PUBLISHED_RU[i - 1]!;
    const [k1] = PUBLISHED_RU[i]!;
    if (kb <= k1) {
      const a = PUBLISHED_RU[i - 1]![col]!;
      const b = PUBLISHED_RU[i]![col]!;
      return a + ((b - a) * (kb - k0)) / (k1 - k0);
    }
  }
  return PUBLISHED_RU[PUBLISHED_RU.length - 1]![col]! * (kb / 128);
}

type Item = Record<string, unknown>;

/** Index terms a write of `doc` makes under `excluded` (Cosmos indexes every scalar leaf; `/a/*` leaves out a subtree). */
export function indexTerms(doc: unknown, excluded: readonly string[], at = ''): number {
  if (excluded.some((p) => p.endsWith('/*') && (at + '/').startsWith(p.slice(0, -1)))) return 0;
  if (doc === null || typeof doc !== 'object') return 1;
  if (Array.isArray(doc)) return doc.reduce<number>((n, v) => n + indexTerms(v, excluded, `${at}/[]`), 0);
  return Object.entries(doc as Item)
    .filter(([k]) => !k.startsWith('_'))
    .reduce((n, [k, v]) => n + indexTerms(v, excluded, `${at}/${k}`), 0);
}

interface Sample { container: string; type: string; count: number; medianBytes: number; maxBytes: number; medianTerms: number; maxTerms: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Containers of a snapshot, matched to today's definitions by their base name (`deals` and `deals-v2` alike). */
export function measure(snapshots: Array<Record<string, Item[]>>): Sample[] {
  const byKey = new Map<string, { container: string; type: string; bytes: number[]; terms: number[] }>();
  for (const containers of snapshots) {
    for (const [name, items] of Object.entries(containers)) {
      const def = (CONTAINERS as readonly ContainerDefinition[]).find((c) => c.id === name || c.id.replace(/-v\d+$/, '') === name);
      if (!def) continue;
      for (const item of items) {
        const type = String(item.type ?? '?') + (item.type === 'delivery' ? (String(item.id).startsWith('card|') ? ' (card post)' : ' (alert/notice)') : '');
        const key = `${def.id}|${type}`;
        const entry = byKey.get(key) ?? { container: def.id, type, bytes: [], terms: [] };
        const { _rid, _self, _etag, _attachments, ...stored } = item as Item;
        void _rid; void _self; void _etag; void _attachments;
        entry.bytes.push(Buffer.byteLength(JSON.stringify(stored)));
        entry.terms.push(indexTerms(stored, def.excludedPaths ?? []));
        byKey.set(key, entry);
      }
    }
  }
  return [...byKey.values()].map((e) => ({
    container: e.container, type: e.type, count: e.bytes.length,
    medianBytes: median(e.bytes), maxBytes: Math.max(...e.bytes), medianTerms: median(e.terms), maxTerms: Math.max(...e.terms),
  }));
}

/** One container's line of the model: documents and bytes at `years`, growth a month, its largest logical partition. */
export interface ModelRow {
  container: string;
  what: string;
  docsAt5y: number;
  bytesAt5y: number;
  growthPerMonth: number;
  largestPartition: string;
  largestBytes: number;
}

const W = WORKLOAD;
const perMonth = (perWorkingDay: number) => perWorkingDay * W.workingDaysPerMonth;
/** Working days in the retention period (30 calendar days ≈ 21.4 working days). */
const retainedWorkingDays = (W.retentionDays * W.workingDaysPerMonth * 12) / 365;

/** The model, from the measured document sizes (`size(type)` in bytes). */
export function model(size: (type: string) => number): ModelRow[] {
  const months = W.years * 12;
  const deals = W.ses * W.dealsPerSePerYear * W.years;
  const changesPerMonth = perMonth(W.ses * W.changesPerSePerDay);
  const changesPerDeal = (changesPerMonth * 12) / (W.ses * W.dealsPerSePerYear);
  // A tenth of deals run long (150 changes): what they hold beyond the deal's 55 entries is archived.
  const archivedEntries = deals * 0.1 * (150 - 55);
  const alertsPerMonth = perMonth(W.ses * W.alertsPerSePerDay);
  const deliveriesHeld = W.ses * W.alertsPerSePerDay * W.recipientsPerAlert * retainedWorkingDays;
  const cardPosts = deals * W.approvalShare;
  const mutes = W.ses * W.mutesPerSePerMonth * months;
  const quotas = W.ses * W.years;
  const follows = W.channels * W.followsPerChannel;
  const conversations = W.people + W.channels;
  const jobs = W.people * 2;
  // The busiest deal of the model: 20 alerts a working day to its 5 recipients, for the retention period.
  const busyDealDeliveries = 20 * W.recipientsPerAlert * retainedWorkingDays;
  return [
    { container: 'deals-v2', what: `deals (${changesPerDeal.toFixed(0)} changes each on average)`, docsAt5y: deals, bytesAt5y: deals * size('deal'), growthPerMonth: (W.ses * W.dealsPerSePerYear * size('deal')) / 12, largestPartition: 'one deal and its archive: a long deal, 150 changes', largestBytes: size('deal') + 95 * size('historyEntry') },
    { container: 'deals-v2', what: 'archive documents (older history and audit, 10 entries each)', docsAt5y: archivedEntries / 10, bytesAt5y: archivedEntries * size('historyEntry'), growthPerMonth: (archivedEntries * size('historyEntry')) / months, largestPartition: '(with its deal, above)', largestBytes: 0 },
    { container: 'deliveries-v2', what: `alert and notice deliveries, ${W.retentionDays} days kept`, docsAt5y: deliveriesHeld, bytesAt5y: deliveriesHeld * size('delivery'), growthPerMonth: 0, largestPartition: `the busiest deal's deliveries: 20 alerts a day × ${W.recipientsPerAlert} recipients × ${W.retentionDays} days`, largestBytes: busyDealDeliveries * size('delivery') + size('cardPost') },
    { container: 'deliveries-v2', what: 'approval-card posts (one per deal that asked)', docsAt5y: cardPosts, bytesAt5y: cardPosts * size('cardPost'), growthPerMonth: (cardPosts * size('cardPost')) / months, largestPartition: '(with its deal\'s deliveries, above)', largestBytes: 0 },
    { container: 'people-v2', what: 'people, quotas, mutes', docsAt5y: W.people + quotas + mutes, bytesAt5y: W.people * size('person') + quotas * size('quota') + mutes * size('mute'), growthPerMonth: (W.ses * size('quota')) / 12 + W.ses * W.mutesPerSePerMonth * size('mute'), largestPartition: `one person: record, ${W.years} quotas, 60 mutes`, largestBytes: size('person') + W.years * size('quota') + 60 * size('mute') },
    { container: 'conversations-v2', what: 'personal chats and channels', docsAt5y: conversations, bytesAt5y: conversations * size('conversation'), growthPerMonth: 0, largestPartition: 'one conversation (and its greeting record)', largestBytes: size('conversation') + 200 },
    { container: 'follows-v2', what: 'channel follows', docsAt5y: follows, bytesAt5y: follows * size('follow'), growthPerMonth: 0, largestPartition: `one channel's follows (${W.followsPerChannel})`, largestBytes: W.followsPerChannel * size('follow') },
    { container: 'jobs-v2', what: 'digest and nudge jobs', docsAt5y: jobs, bytesAt5y: jobs * size('job'), growthPerMonth: 0, largestPartition: 'one job', largestBytes: size('job') },
    { container: 'settings', what: 'policy, approvals channel (per tenant)', docsAt5y: 2, bytesAt5y: 2 * size('settings'), growthPerMonth: 0, largestPartition: 'the tenant', largestBytes: 2 * size('settings') },
    { container: '(alerts a month)', what: `${alertsPerMonth.toLocaleString('en-US')} alerts`, docsAt5y: 0, bytesAt5y: 0, growthPerMonth: 0, largestPartition: '', largestBytes: 0 },
  ];
}

const fmtBytes = (b: number) => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} KB`);

if (require.main === module) {
  const files = process.argv.slice(2);
  const snapshots = files.map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { containers: Record<string, Item[]> }).containers);
  const samples = measure(snapshots);
  console.log('| container | document | sampled | size, median / max | index terms, median / max | point read RU | write RU |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const s of samples.sort((a, b) => a.container.localeCompare(b.container) || a.type.localeCompare(b.type))) {
    console.log(`| ${s.container} | ${s.type} | ${s.count} | ${s.medianBytes.toLocaleString('en-US')} / ${s.maxBytes.toLocaleString('en-US')} B | ${s.medianTerms} / ${s.maxTerms} | ${publishedRu(s.medianBytes, 'read').toFixed(2)} | ${publishedRu(s.medianBytes, 'write').toFixed(2)} |`);
  }
  // A mature deal holds 55 history entries (50–59): the sampled deals are young, so their entries are counted.
  const deals = snapshots.flatMap((c) => Object.entries(c).filter(([n]) => n.startsWith('deals')).flatMap(([, items]) => items)).filter((d) => d.type === 'deal');
  const entries = deals.flatMap((d) => (Array.isArray(d.history) ? (d.history as unknown[]) : []));
  const historyEntry = entries.length ? entries.reduce<number>((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 1, 0) / entries.length : 300;
  const medianHistory = median(deals.map((d) => (Array.isArray(d.history) ? d.history.length : 0)));
  const of = (type: string, fallback: number) => samples.find((s) => s.type === type)?.medianBytes ?? fallback;
  const sizes: Record<string, number> = {
    deal: of('deal', 2_000) + Math.max(0, 55 - medianHistory) * historyEntry,
    historyEntry,
    delivery: of('delivery (alert/notice)', 1_500),
    cardPost: of('delivery (card post)', 2_000),
    person: of('person', 400), quota: of('quota', 200), mute: of('mute', 300),
    conversation: of('conversation', 1_500), follow: of('follow', 400), job: of('job', 400), settings: of('approvalPolicy', 1_000),
  };
  console.log(`\nMature deal ${Math.round(sizes.deal!)} B (median sampled deal holds ${medianHistory} history entries of ${Math.round(historyEntry)} B on average)\n`);
  console.log('| container | documents | count at 5 years | storage at 5 years | growth a month | largest logical partition | its size |');
  console.log('|---|---|---:|---:|---:|---|---:|');
  for (const r of model((t) => sizes[t] ?? 1_000)) {
    console.log(`| ${r.container} | ${r.what} | ${r.docsAt5y ? Math.round(r.docsAt5y).toLocaleString('en-US') : ''} | ${r.bytesAt5y ? fmtBytes(r.bytesAt5y) : ''} | ${r.growthPerMonth ? fmtBytes(r.growthPerMonth) : r.docsAt5y ? 'none (steady)' : ''} | ${r.largestPartition} | ${r.largestBytes ? fmtBytes(r.largestBytes) : ''} |`);
  }  printRequestUnits((t) => sizes[t] ?? 1_000);

}

/**
 * Request units per operation and at the busiest hour. The store operations of each are counted by `npm run bench`
 * (docs/benchmarks.md, "Cosmos economy"); each is priced with Microsoft's published charges for its document's size.
 * A query is priced at 3 RU plus the point-read charge of what it returns (Azure's minimum for an indexed query
 * is about 2.3–3 RU; a prefix query on a one-tenant container reaches every physical partition, one below 50 GB).
 */
export function requestUnits(size: (type: string) => number, instances = 3) {
  const read = (t: string) => publishedRu(size(t), 'read');
  const write = (t: string) => publishedRu(size(t), 'write');
  const query = (bytes: number) => 3 + publishedRu(bytes, 'read') - 1;
  const ops = {
    'my deals (one prefix query, ~30 summaries)': query(30 * 300),
    'deal <ref> (point read)': read('deal'),
    'move / set / button (read + conditional replace)': read('deal') + write('deal'),
    'create deal (create; first in a process: + highest number)': write('deal'),
    'one alert, dispatched (sweep share, deal read, followers, mutes, deal replace)': query(0) + read('deal') + query(2_000) + query(500) + write('deal'),
    'one delivery (create, conversation read, lease, sent)': write('delivery') + read('conversation') + 2 * write('delivery'),
    'background round, nothing due (3 sweeps)': 3 * query(0),
  };
  const turnsPerSecond = (W.ses * W.turnsPerSePerDay * W.busiestHourShare) / 3600;
  const alertsPerSecond = (W.ses * W.alertsPerSePerDay * W.busiestHourShare) / 3600;
  // Half of the turns read (my deals, deal), half write (moves, edits, buttons).
  const turnRu = 0.25 * ops['my deals (one prefix query, ~30 summaries)'] + 0.25 * ops['deal <ref> (point read)'] + 0.5 * ops['move / set / button (read + conditional replace)'];
  const alertRu = ops['one alert, dispatched (sweep share, deal read, followers, mutes, deal replace)'] + W.recipientsPerAlert * ops['one delivery (create, conversation read, lease, sent)'];
  // Each instance polls the dispatcher and the sender every second and the scheduler every 5 s.
  const backgroundRu = instances * (2 + 1 / 5) * query(0);
  return { ops, turnsPerSecond, alertsPerSecond, busiest: { turns: turnsPerSecond * turnRu, alerts: alertsPerSecond * alertRu, background: backgroundRu } };
}

export function printRequestUnits(size: (type: string) => number): void {
  const ru = requestUnits(size);
  console.log('\n| operation | RU (published charges by size) |\n|---|---:|');
  for (const [op, v] of Object.entries(ru.ops)) console.log(`| ${op} | ${v.toFixed(1)} |`);
  const total = ru.busiest.turns + ru.busiest.alerts + ru.busiest.background;
  console.log(`\nBusiest hour: ${ru.turnsPerSecond.toFixed(1)} turns/s → ${ru.busiest.turns.toFixed(0)} RU/s; ${ru.alertsPerSecond.toFixed(2)} alerts/s × ${WORKLOAD.recipientsPerAlert} recipients → ${ru.busiest.alerts.toFixed(0)} RU/s; background loops of 3 instances → ${ru.busiest.background.toFixed(0)} RU/s; total ${total.toFixed(0)} RU/s.`);
}
