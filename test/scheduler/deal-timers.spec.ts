import assert from 'node:assert/strict';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import type { Deal } from '../../src/domain/deal';
import type { Store } from '../../src/ports/store.port';
import type { JobHandlers } from '../../src/scheduler/job-handler';
import { createScheduler } from '../../src/scheduler/scheduler';
import { aDealIn } from '../domain/deal-fixture';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

const T0 = Date.parse('2027-05-01T09:00:00Z');
const DAY = 86_400_000;
const idle: JobHandlers = { digest: async () => ({}), nudge: async () => ({}) };

describe('scheduler: deal timers fire exactly once (embedded store)', () => {
  let t: TestStore;
  let store: Store;
  let now = T0;
  const deps = (): AppDeps => ({ store, clock: { now: () => new Date(now) }, logger: new MemoryLogger(), settings: DEFAULT_SETTINGS });
  const scheduler = (id: string) => createScheduler(deps(), idle, { instanceId: id, leaseMs: 60_000, retryAfterMs: 60_000 });

  before(async () => {
    t = await startTestStore();
    store = t.store;
  });
  after(async () => t?.stop());

  /** A won deal whose delivery plan asks for CSAT 30 days after kickoff and at the planned end. */
  function won(tenantId: string): Deal {
    const deal = aDealIn('Close', { outcome: 'Won', tenantId });
    return {
      ...deal,
      delivery: {
        kickoff: '2027-04-01',
        plannedEnd: '2027-06-30',
        milestones: [],
        followUpSeq: 2,
        followUps: [
          { id: 'F1', reason: 'kickoff', dueAt: '2027-05-01T09:00:00.000Z', status: 'scheduled' },
          { id: 'F2', reason: 'end', dueAt: '2027-06-30T09:00:00.000Z', status: 'scheduled' },
        ],
      },
    };
  }

  it('a CSAT follow-up that fell due is asked once, though four instances sweep at the same moment', async () => {
    const tenantId = 'tenant-timers-1';
    await store.deals.create(won(tenantId));
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => scheduler(id).tick()));
    const deal = (await store.deals.get(tenantId, 'D-1042'))!.deal;
    assert.deepEqual(deal.delivery!.followUps.map((f) => f.status), ['asked', 'scheduled']);
    assert.equal(deal.notices.filter((n) => n.kind === 'csatRequest').length, 1, 'one request to the owner');
    assert.ok(results.reduce((sum, r) => sum + r.dealTimers, 0) >= 1);
    assert.deepEqual((await store.deals.findWithDueTimers(new Date(now).toISOString(), 100)).filter((d) => d.tenantId === tenantId), [], 'nothing left due');
  });

  it('the next follow-up waits for its time, then fires (a deal timer, found by the indexed sweep)', async () => {
    const tenantId = 'tenant-timers-2';
    await store.deals.create(won(tenantId));
    await scheduler('a').tick();
    now = Date.parse('2027-06-30T08:59:00Z');
    await scheduler('a').tick();
    assert.equal((await store.deals.get(tenantId, 'D-1042'))!.deal.delivery!.followUps[1].status, 'scheduled');
    now += DAY;
    await scheduler('b').tick();
    const deal = (await store.deals.get(tenantId, 'D-1042'))!.deal;
    assert.equal(deal.delivery!.followUps[1].status, 'asked');
    assert.equal(deal.notices.filter((n) => n.kind === 'csatRequest').length, 2);
  });
});
