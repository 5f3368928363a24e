import { contosoForm } from '../bot/deal-fixtures';
import type { FakeTeams } from '../support/fake-teams';
import { startApp } from './app';
import type { BenchServer, HttpRequestRecord, Origin, StoreMeter } from './bench-store';
import { Driver } from './driver';
import { sleep } from './stats';
import type { TurnCase } from './turns';

/** Store work of one operation: repository calls (logical) and HTTP requests to the store (physical). */
export interface Cost {
  operation: string;
  /** Operations the numbers are averaged over. */
  n: number;
  repoCalls: number;
  http: number;
  /** Of `http`: the query plans @azure/cosmos fetches before every query. */
  queryPlans: number;
  /** Request charge reported by the server (RU), summed, per operation; undefined when it reported none. */
  charge?: number;
  /** "deals.get ×1, deals.replace ×1" per operation. */
  breakdown: string;
  /** The background work the operation caused (dispatch and delivery), when measured. */
  followUp?: Omit<Cost, 'operation' | 'n' | 'followUp'>;
}

export interface PartitionCheck {
  /** Queries made on a user's turn, and those among them that could cross partitions. */
  turnQueries: number;
  violations: string[];
  /** The deliberate cross-partition sweeps of the background loops (query text). */
  backgroundSweeps: string[];
}

const per = (count: number, n: number) => Number((count / Math.max(1, n)).toFixed(2));

/** Tallies the calls and requests of one origin, per operation. */
export function tally(meter: StoreMeter, origins: Origin[], n: number): Omit<Cost, 'operation' | 'n' | 'followUp'> {
  const calls = meter.calls.filter((c) => origins.includes(c.origin));
  const requests = meter.requests.filter((r) => r.call && origins.includes(r.call.origin));
  const byMethod = new Map<string, number>();
  for (const c of calls) byMethod.set(`${c.repo}.${c.method}`, (byMethod.get(`${c.repo}.${c.method}`) ?? 0) + 1);
  const charges = requests.map((r) => r.charge).filter((c): c is number => typeof c === 'number');
  return {
    repoCalls: per(calls.length, n),
    http: per(requests.length, n),
    queryPlans: per(requests.filter((r) => r.queryPlan).length, n),
    charge: charges.length ? per(charges.reduce((a, b) => a + b, 0), n) : undefined,
    breakdown: [...byMethod].sort((a, b) => b[1] - a[1]).map(([m, k]) => `${m} ×${per(k, n)}`).join(', ') || '—',
  };
}

/**
 * What is wrong with a turn's query, if anything: it must name a partition key (header) that is the tenant prefix
 * `[tenantId]` or a full key starting with it (containers are keyed tenant first, containers.ts), and filter on the
 * tenant (WHERE), since the embedded server ignores the key.
 */
export function partitionProblem(r: Pick<HttpRequestRecord, 'partitionKey' | 'query' | 'tenantId'>): string | undefined {
  const sql = (r.query ?? '').replace(/\s+/g, ' ');
  const key = keyOf(r.partitionKey);
  if (key === undefined) return 'no partition key (cross-partition)';
  if (!key.every((part) => typeof part === 'string' && part !== '')) return `a partition key that is no tenant prefix or full key: ${r.partitionKey}`;
  if (!/c\.tenantId = @tenantId/.test(sql)) return 'no tenant filter in WHERE';
  if (r.tenantId !== undefined && key[0] !== r.tenantId) return `a partition key of another tenant than @tenantId: ${r.partitionKey}`;
  return undefined;
}

/** The components of a key header (`["t"]`, `["t","D-1"]`); none for no header or the SDK's "no key" (`[{}]`). */
function keyOf(header: string | undefined): unknown[] | undefined {
  if (!header || header === '[{}]' || header === '[]') return undefined;
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [undefined];
  }
}

/** Every query a turn made must name the tenant's prefix or a full key (header) and filter on the tenant (WHERE). */
export function checkPartitions(requests: HttpRequestRecord[], check: PartitionCheck): void {
  for (const r of requests) {
    if (r.operationType !== 'query' || r.queryPlan || !r.call) continue;
    const sql = (r.query ?? '').replace(/\s+/g, ' ');
    if (r.call.origin === 'background') {
      if (keyOf(r.partitionKey) === undefined && !check.backgroundSweeps.includes(sql)) check.backgroundSweeps.push(sql);
      continue;
    }
    if (r.call.origin !== 'turn') continue;
    check.turnQueries++;
    const problem = partitionProblem(r);
    if (problem) check.violations.push(`${r.call.repo}.${r.call.method}: ${problem}: ${sql}`);
  }
}

/** Runs each case `n` times with the meter on: what one turn of it costs the store (its own, not the background's). */
export async function turnCosts(meter: StoreMeter, cases: TurnCase[], n: number, check: PartitionCheck): Promise<Cost[]> {
  const costs: Cost[] = [];
  for (const c of cases) {
    meter.reset();
    meter.recording = true;
    for (let i = 0; i < n; i++) await c.op(2_000_000 + i, 0);
    meter.recording = false;
    checkPartitions(meter.requests, check);
    costs.push({ operation: c.name, n, ...tally(meter, ['turn'], n) });
  }
  meter.reset();
  return costs;
}

/** Records what `work` makes the store do: its own turn, then (after `settle`) the background work it caused. */
async function measure(meter: StoreMeter, operation: string, work: () => Promise<void>, settle: () => Promise<void>, check: PartitionCheck): Promise<Cost> {
  meter.reset();
  meter.recording = true;
  await work();
  await settle();
  meter.recording = false;
  checkPartitions(meter.requests, check);
  const own = tally(meter, ['turn'], 1);
  const followUp = tally(meter, ['background'], 1);
  meter.reset();
  return { operation, n: 1, ...own, ...(followUp && followUp.repoCalls > 0 ? { followUp } : {}) };
}

/** Waits until `count` proactive messages (sends, not replies) more than `before` reached the connector, then a quiet moment. */
async function sendsReach(connector: FakeTeams, before: number, count: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (connector.sent.filter((s) => s.kind === 'send' || s.kind === 'update').length < before + count) {
    if (Date.now() > until) throw new Error(`only ${connector.sent.filter((s) => s.kind === 'send' || s.kind === 'update').length - before} of ${count} proactive messages arrived`);
    await sleep(10);
  }
  await sleep(300);
}

/**
 * The Cosmos economy of single operations, on a fresh small database (counts do not depend on its size) with
 * alerts sent at once (ALERT_COALESCE_MS=0) and the loops otherwise idle (NOTIFY_POLL_MS=60000: woken only by
 * the operation itself), so each operation's follow-up work is its own.
 */
export async function economy(server: BenchServer, connector: FakeTeams, check: PartitionCheck): Promise<{ costs: Cost[]; tick: Cost }> {
  const { meter } = server;
  const { store } = await server.openStore('economy');
  const { app, logger } = await startApp(store, { ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '60000' });
  try {
    await sleep(300); // the loops' first ticks
    const driver = new Driver(app.url, connector);
    for (const as of ['alex', 'megan', 'adele'] as const) await driver.say('help', { as });
    const proactive = () => connector.sent.filter((s) => s.kind === 'send' || s.kind === 'update').length;
    const costs: Cost[] = [];
    const quiet = () => sleep(200);

    costs.push(await measure(meter, 'create deal (first in this process: + highest number)', async () => void (await driver.press('deal.create', { ...contosoForm, value: '6.2m' })), quiet, check));
    costs.push(await measure(meter, 'create deal', async () => void (await driver.press('deal.create', { ...contosoForm, title: 'Second deal', value: '6.2m' })), quiet, check));
    // D-1001 gets a team member (1:1 alert) and a following channel (channel alert).
    await driver.say('add megan bowen to D-1001 as architect');
    await driver.say('follow D-1001', { inChannel: true });
    await sleep(300);

    let before = proactive();
    costs.push(await measure(meter, 'move stage (typed), + delivery to 2 recipients', async () => void (await driver.say('move D-1001 to qualify')), () => sendsReach(connector, before, 2), check));
    before = proactive();
    const rev = Number((await store.deals.get('00000000-0000-0000-0000-000000000001', 'D-1002'))!.deal.rev);
    costs.push(await measure(meter, 'button deal.advance (Action.Execute)', async () => void (await driver.press('deal.advance', { dealId: 'D-1002', rev })), quiet, check));
    costs.push(await measure(meter, 'button deal.move (Action.Execute, back with reason)', async () => void (await driver.press('deal.move', { dealId: 'D-1002', rev: rev + 1, target: 'Prospect', note: 'back for rework' })), quiet, check));

    // Approvals: Alex (an admin in local mode) sets them up; Megan decides level 1, Adele is asked next.
    await driver.say('approvals here', { inChannel: true });
    await driver.say('set approvers 1 megan bowen any');
    await driver.say('set approvers 2 adele vance any');
    before = proactive();
    await driver.say('request approval D-1001 please');
    await sendsReach(connector, before, 2);
    before = proactive();
    costs.push(
      await measure(
        meter,
        'record an approval decision (Action.Execute), + its notices',
        async () => void (await driver.press('approval.decide', { dealId: 'D-1001', round: 1, levelId: 'manager', decision: 'approved', comment: '' }, { as: 'megan' })),
        () => sendsReach(connector, before, 2),
        check,
      ),
    );
    costs.push(await measure(meter, 'my deals', async () => void (await driver.say('my deals')), quiet, check));
    costs.push(await measure(meter, 'deal <ref>', async () => void (await driver.say('deal D-1001')), quiet, check));
    costs.push(await measure(meter, 'unknown command', async () => void (await driver.say('blorp the frobnicator')), quiet, check));

    // One background round with nothing due: the dispatcher's and the worker's sweeps, and the scheduler's.
    await sleep(300);
    meter.reset();
    meter.recording = true;
    await app.notifier.runOnce();
    await app.scheduler.runOnce();
    meter.recording = false;
    checkPartitions(meter.requests, check);
    const tick: Cost = { operation: 'one background round (dispatch + delivery + scheduler: deal timers and jobs), nothing due', n: 1, ...tally(meter, ['background', 'bench'], 1) };
    meter.reset();
    if (logger.counts.error > 0) throw new Error(`DealDesk logged errors: ${JSON.stringify(logger.problems).slice(0, 500)}`);
    return { costs, tick };
  } finally {
    meter.recording = false;
    await app.stop();
  }
}
