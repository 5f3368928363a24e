import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { SendBudgetRepository } from '../../src/ports/send-budget-repository.port';
import { HANDOVER_MS } from '../../src/notify/send-budget';
import { type SendBudget, startSharedBudget } from '../../src/notify/shared-budget';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';
import { sleep, waitFor } from '../support/wait-for';

const LEASE_MS = 3000;
const RPS = 50;
const RECIPIENTS = Array.from({ length: 300 }, (_, i) => `channel|19:c${i}@thread.tacv2`);

/**
 * Three instances share one tenant's Teams budget through its document in the embedded store (the real @azure/cosmos
 * client), on a clock the test moves. At every instant looked at, a recipient has at most one instance sending to it,
 * and the shares add up to at most 50/s; once membership settles, every recipient has exactly one.
 */
describe('the shared send budget on the store: who sends to whom, and how fast', function () {
  this.timeout(60_000);
  let t: TestStore;
  let tenantId: string;
  let nowMs: number;
  const clock = { now: () => new Date(nowMs) };
  const budgets: Array<{ id: string; budget: SendBudget; logger: MemoryLogger; repository: FlakyRepository }> = [];

  before(async () => {
    t = await startTestStore();
  });
  after(async () => {
    await t?.stop();
  });
  /** Per recipient: who last sent to it, and when (the instants looked at). */
  const lastOwner = new Map<string, { id: string; at: number }>();
  beforeEach(() => {
    lastOwner.clear();
    tenantId = `tenant-${randomUUID()}`;
    nowMs = Date.parse('2027-03-01T09:00:00Z');
  });
  afterEach(async () => {
    for (const b of budgets.splice(0)) await b.budget.stop();
  });

  function instance(id: string) {
    const logger = new MemoryLogger();
    const repository = new FlakyRepository(t.store.sendBudgets!);
    const budget = startSharedBudget({ repository, instanceId: id, clock, logger, leaseMs: LEASE_MS, tenantRps: RPS, renewEveryMs: 20 });
    budgets.push({ id, budget, logger, repository });
    return budgets.at(-1)!;
  }

  /** Moves the clock by `ms` in steps, letting renewals land at each; checks the invariants at every step. */
  async function advance(ms: number, step = 250): Promise<void> {
    for (let done = 0; done < ms; done += step) {
      nowMs += step;
      await sleep(60);
      assertSafe();
    }
  }

  const ownersOf = (recipient: string) => budgets.filter((b) => b.budget.owns(tenantId, recipient, nowMs)).map((b) => b.id);
  const shareOf = (b: (typeof budgets)[number]) => (RECIPIENTS.some((r) => b.budget.owns(tenantId, r, nowMs)) ? Math.floor(RPS / b.budget.sharers(tenantId, nowMs)) : 0);

  /** One sender per recipient; a recipient changing hands has none for HANDOVER_MS (Teams's 2 s window); shares ≤ 50/s. */
  function assertSafe(): void {
    const doubled = RECIPIENTS.filter((r) => ownersOf(r).length > 1);
    assert.deepEqual(doubled.slice(0, 3), [], `at ${new Date(nowMs).toISOString()}: one sender per recipient`);
    for (const r of RECIPIENTS) {
      const [id] = ownersOf(r);
      if (!id) continue;
      const last = lastOwner.get(r);
      if (last && last.id !== id) assert.ok(nowMs - last.at >= HANDOVER_MS, `${r} went from ${last.id} to ${id} after ${nowMs - last.at} ms`);
      lastOwner.set(r, { id, at: nowMs });
    }
    const total = budgets.reduce((sum, b) => sum + shareOf(b), 0);
    assert.ok(total <= RPS, `at ${new Date(nowMs).toISOString()}: shares add up to ${total}/s`);
  }

  const settled = (n: number) => () => RECIPIENTS.every((r) => ownersOf(r).length === 1) && budgets.every((b) => b.budget.sharers(tenantId, nowMs) === n);

  it('alone, an instance takes the whole budget at once; two more join and wait until it has counted them', async () => {
    const a = instance('a');
    a.budget.want(tenantId);
    await waitFor('a to join', settled(1));
    assert.equal(shareOf(a), RPS, 'alone: the whole 50/s, at once');

    const [b, c] = [instance('b'), instance('c')];
    b.budget.want(tenantId);
    c.budget.want(tenantId);
    await waitFor('a to count the newcomers', () => a.budget.sharers(tenantId, nowMs) === 3);
    assert.equal(shareOf(a), 16, 'a shrinks at once');
    assert.deepEqual([shareOf(b), shareOf(c)], [0, 0], 'the newcomers send nothing yet');
    await advance(LEASE_MS + HANDOVER_MS + 500);
    await waitFor('one sender per recipient', settled(3));
    const owned = budgets.map((x) => RECIPIENTS.filter((r) => ownersOf(r)[0] === x.id).length);
    assert.ok(owned.every((n) => n > 60), `each owns about a third: ${owned}`);
    assert.deepEqual(budgets.map(shareOf), [16, 16, 16]);
    assert.ok(a.logger.lines.some((l) => l.msg === "send budget: 3 instances share the tenant's 50/s; this one sends at most 16/s"), 'the operator sees the count and the share');
  });

  it('one stops and one loses the store: the others take their recipients over, never two at once', async () => {
    const [a, b, c] = [instance('a'), instance('b'), instance('c')];
    for (const x of [a, b, c]) x.budget.want(tenantId);
    await waitFor('all three to join', () => budgets.every((x) => x.budget.sharers(tenantId, nowMs) === 3));
    await advance(LEASE_MS + HANDOVER_MS + 500);
    await waitFor('one sender per recipient', settled(3));

    // c shuts down: it leaves; a and b take its recipients HANDOVER_MS later.
    await c.budget.stop();
    budgets.splice(budgets.indexOf(c), 1);
    await advance(HANDOVER_MS + 500);
    await waitFor('a and b to share everything', settled(2));
    assert.deepEqual(budgets.map(shareOf), [25, 25]);

    // b's store is unreachable: it keeps its share while its membership counts, then stops; a takes over after.
    b.repository.down = true;
    const until = nowMs + LEASE_MS;
    await advance(LEASE_MS - 500);
    assert.ok(RECIPIENTS.some((r) => ownersOf(r)[0] === 'b'), 'b still sends within its lease');
    await advance(1000);
    assert.ok(nowMs > until && RECIPIENTS.every((r) => !ownersOf(r).includes('b')), 'b sends nothing once its lease ended');
    await advance(HANDOVER_MS);
    await waitFor('a alone to own everything', settled(1));
    assert.equal(shareOf(a), RPS);
    const warned = b.logger.lines.filter((l) => l.level === 'warn' && /could not renew/.test(l.msg ?? ''));
    assert.equal(warned.length, 1, 'b logs its lost store once');
    assert.ok(b.logger.lines.some((l) => /this one sends at most 0\/s/.test(l.msg ?? '')), 'and that it sends nothing');

    // The store is back: b rejoins, and waits until a has counted it.
    b.repository.down = false;
    await waitFor('a to count b again', () => a.budget.sharers(tenantId, nowMs) === 2);
    assert.equal(shareOf(b), 0);
    await advance(LEASE_MS + HANDOVER_MS + 500);
    await waitFor('a and b to share everything again', settled(2));
  });

  it('costs a point read and a write per instance per renewal, nothing per send', async () => {
    const [a, b, c] = [instance('a'), instance('b'), instance('c')];
    for (const x of [a, b, c]) x.budget.want(tenantId);
    await waitFor('all three to join', () => budgets.every((x) => x.budget.sharers(tenantId, nowMs) === 3));
    await advance(LEASE_MS + HANDOVER_MS + 500);
    await waitFor('one sender per recipient', settled(3));
    for (const x of budgets) x.repository.calls = 0;
    const before = t.writes.byContainer.get('settings') ?? 0;
    await sleep(1000); // 50 renewal rounds each at 20 ms; production: every 5 s
    const rounds = 1000 / 20;
    const perRound = budgets.map((x) => x.repository.calls / rounds);
    console.log(`      send budget store requests per instance per renewal: ${perRound.join(', ')}`);
    // A read and a write; when two renew at once (here every 20 ms, so often), the loser reads and writes again.
    assert.ok(perRound.every((n) => n <= 4), `requests per instance per renewal: ${perRound}`);
    // Owning and sharing are answered from memory.
    for (let i = 0; i < 1000; i++) a.budget.owns(tenantId, RECIPIENTS[i % RECIPIENTS.length]!, nowMs);
    assert.ok((t.writes.byContainer.get('settings') ?? 0) - before <= 3 * rounds * 1.5, 'writes follow renewals, not sends');
  });
});

/** The real repository, with a switch to make the store unreachable, and a count of the requests made. */
class FlakyRepository implements SendBudgetRepository {
  down = false;
  calls = 0;
  constructor(private readonly real: SendBudgetRepository) {}
  get(tenantId: string) {
    return this.call(() => this.real.get(tenantId));
  }
  save(...args: Parameters<SendBudgetRepository['save']>) {
    return this.call(() => this.real.save(...args));
  }
  private async call<T>(work: () => Promise<T>): Promise<T> {
    this.calls++;
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return work();
  }
}
