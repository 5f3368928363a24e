import assert from 'node:assert/strict';
import sinon from 'sinon';
import { changeDeal } from '../../src/app/change-deal';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import { moveDeal } from '../../src/app/move-deal';
import type { Store } from '../../src/ports/store.port';
import { ALEX, aDeal, aDealIn, CONTOSO_DRAFT, FULL_EVIDENCE } from '../domain/deal-fixture';
import { createDeal } from '../../src/app/create-deal';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

const NOW = new Date('2026-11-26T09:00:00Z');

describe('changeDeal: store requests and waking the dispatcher (embedded Cosmos store)', () => {
  let t: TestStore;
  let store: Store;
  let n = 0;
  let tenantId: string;
  const actor = () => ({ tenantId, user: ALEX });

  before(async () => {
    t = await startTestStore();
    store = t.store;
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantId = `tenant-change-${n}`;
  });
  afterEach(() => sinon.restore());

  const depsWith = (coalesceMs: number, alertQueued = sinon.spy()): AppDeps & { alertQueued: sinon.SinonSpy } => ({
    store,
    clock: { now: () => NOW },
    logger: new MemoryLogger(),
    settings: { ...DEFAULT_SETTINGS, coalesceMs },
    alertQueued,
  });

  it('moves a deal the turn already read with one conditional write and no second read', async () => {
    const read = await store.deals.create({ ...aDealIn('Prospect', { evidence: { ...FULL_EVIDENCE } }), tenantId });
    const get = sinon.spy(store.deals, 'get');
    const replace = sinon.spy(store.deals, 'replace');
    const moved = await moveDeal(depsWith(60_000), actor(), { id: read.deal.id, target: { stage: 'Qualify' }, read });
    assert.deepEqual([moved.kind, moved.deal.stage], ['moved', 'Qualify']);
    assert.equal(get.callCount, 0, 'no read beyond the one the turn made');
    assert.equal(replace.callCount, 1);
  });

  it('a move stopped at its gate is a result drawn from that same read: what is missing, the deal as read, no write', async () => {
    const read = await store.deals.create({ ...aDealIn('Qualify', { evidence: { budget: 'USD 2M' } }), tenantId });
    const get = sinon.spy(store.deals, 'get');
    const replace = sinon.spy(store.deals, 'replace');
    const result = await moveDeal(depsWith(60_000), actor(), { id: read.deal.id, target: { stage: 'Solution' }, read });
    assert.deepEqual(result, { kind: 'gate', deal: read.deal, missing: ['bdm', 'tdm'], reason: false, reasonMissing: false, saved: [] });
    assert.deepEqual([get.callCount, replace.callCount], [0, 0]);
  });

  it('a move on a revision older than the deal is a result too (changedMeanwhile), with the deal as it is; nothing written', async () => {
    const read = await store.deals.create({ ...aDealIn('Prospect'), tenantId });
    const replace = sinon.spy(store.deals, 'replace');
    const result = await moveDeal(depsWith(60_000), actor(), { id: read.deal.id, target: { stage: 'Qualify' }, seenRev: read.deal.rev - 1 });
    assert.deepEqual([result.kind, result.deal.rev, replace.callCount], ['changedMeanwhile', read.deal.rev, 0]);
  });

  it('re-reads after a conflict, so a stale read in hand is never written over a newer deal', async () => {
    const read = await store.deals.create({ ...aDeal(), tenantId });
    // Someone else changes the deal after this turn read it.
    await store.deals.replace({ ...read.deal, nextStep: 'Theirs', rev: read.deal.rev + 1 }, read.etag);
    const get = sinon.spy(store.deals, 'get');
    const saved = await changeDeal(depsWith(60_000), actor(), read.deal.id, (d) => ({ ...d, probability: 70 }), { read });
    assert.equal(get.callCount, 1, 'the 412 made it read the current deal');
    assert.equal(saved.nextStep, 'Theirs', 'the other change survives');
    assert.equal(saved.probability, 70);
    assert.equal(saved.rev, read.deal.rev + 2);
  });

  it('a write that landed but lost its answer (a timeout) is reported done, not "nothing changed"', async () => {
    const { deal } = await store.deals.create({ ...aDeal(), tenantId });
    const replace = store.deals.replace.bind(store.deals);
    sinon.stub(store.deals, 'replace').callsFake(async (d, etag) => {
      await replace(d, etag);
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    });
    const saved = await changeDeal(depsWith(60_000), actor(), deal.id, (d) => ({ ...d, probability: 80 }));
    assert.equal(saved.probability, 80);
    assert.equal(saved.rev, deal.rev + 1, 'applied once');
  });

  it('a write that failed without an answer and did not land still fails (the user is told to try again)', async () => {
    const { deal } = await store.deals.create({ ...aDeal(), tenantId });
    sinon.stub(store.deals, 'replace').rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await assert.rejects(changeDeal(depsWith(60_000), actor(), deal.id, (d) => ({ ...d, probability: 80 })), /socket hang up/);
    sinon.restore();
    assert.equal((await store.deals.get(tenantId, deal.id))!.deal.probability, deal.probability);
  });

  it('a create that landed but lost its answer is the deal created, not a second one on retry', async () => {
    const create = store.deals.create.bind(store.deals);
    sinon.stub(store.deals, 'create').callsFake(async (d) => {
      await create(d);
      throw Object.assign(new Error('request timed out'), { code: 408 });
    });
    const created = await createDeal(depsWith(60_000), actor(), { draft: CONTOSO_DRAFT });
    sinon.restore();
    assert.equal(created.id, 'D-1001');
    assert.equal((await store.deals.highestNumber(tenantId)), 1001, 'one deal');
  });

  it('does not wake the dispatcher for an alert still gathering changes', async () => {
    const { deal } = await store.deals.create({ ...aDeal(), tenantId });
    const deps = depsWith(60_000);
    const saved = await changeDeal(deps, actor(), deal.id, (d) => ({ ...d, value: { ...d.value, amount: d.value.amount * 2 } }));
    assert.equal(saved.outbox.length, 1, 'the alert is recorded in the same write');
    assert.equal(deps.alertQueued.callCount, 0);
  });

  it('wakes the dispatcher when the alert is due at once (no coalescing window)', async () => {
    const { deal } = await store.deals.create({ ...aDeal(), tenantId });
    const deps = depsWith(0);
    await changeDeal(deps, actor(), deal.id, (d) => ({ ...d, value: { ...d.value, amount: d.value.amount * 2 } }));
    assert.equal(deps.alertQueued.callCount, 1);
  });

  it('finds a deal for the dispatcher once its alert is due, and one with notices waiting at once', async () => {
    const { deal } = await store.deals.create({ ...aDeal(), tenantId });
    const saved = await changeDeal(depsWith(60_000), actor(), deal.id, (d) => ({ ...d, value: { ...d.value, amount: d.value.amount * 2 } }));
    const due = async (at: Date) => (await store.deals.findWithDueAlerts(at.toISOString(), 1000)).filter((d) => d.tenantId === tenantId);
    assert.deepEqual(await due(NOW), [], 'still gathering');
    assert.deepEqual(await due(new Date(NOW.getTime() + 60_000)), [{ tenantId, id: deal.id }]);

    const current = (await store.deals.get(tenantId, deal.id))!;
    await store.deals.replace({ ...saved, outbox: [], outboxDueAt: undefined, notices: [{ id: 'R1.0.0', kind: 'approvalCard', round: 1 }] }, current.etag);
    assert.deepEqual(await due(NOW), [{ tenantId, id: deal.id }], 'notices are due as soon as they are written');
  });
});
