import assert from 'node:assert/strict';
import { recordAlert } from '../../src/domain/alert-outbox';
import type { Deal } from '../../src/domain/deal';
import type { Person } from '../../src/domain/person';
import { createAlertDispatcher } from '../../src/notify/alert-dispatcher';
import { alertMessageId } from '../../src/domain/outgoing-message';
import type { Follow } from '../../src/ports/follow-repository.port';
import { aDeal, ALEX, MEGAN } from '../domain/deal-fixture';
import { MemoryLogger } from '../support/memory-logger';
import { memoryStore, type MemoryStore } from './memory-ports';

const NOW = '2027-03-01T09:00:00.000Z';
const FOLLOWERS = 100;
const TEAM: Person[] = Array.from({ length: 20 }, (_, i) => ({ id: `aad-member-${i}`, name: `Member ${i}` }));
const chat = (i: number) => `a:1on1-follower-${i}`;
/** Every recipient: the following conversations, the owner and the team (MEGAN made the change). */
const RECIPIENTS = FOLLOWERS + 1 + TEAM.length;

/** Lets other calls start before this one answers, as a store round trip does. */
const roundTrip = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Counts how many calls of one kind are in flight, and the most at once. */
class InFlight {
  now = 0;
  most = 0;
  calls = 0;
  async around<R>(call: () => Promise<R>): Promise<R> {
    this.now++;
    this.calls++;
    this.most = Math.max(this.most, this.now);
    try {
      await roundTrip();
      return await call();
    } finally {
      this.now--;
    }
  }
}

describe('alert dispatcher: fan-out of one alert', () => {
  let store: MemoryStore;
  let deal: Deal;
  let reads: InFlight;
  let creates: InFlight;
  let storeCalls: InFlight; // reads and creates together
  const logger = new MemoryLogger();

  beforeEach(async () => {
    store = memoryStore();
    reads = new InFlight();
    creates = new InFlight();
    storeCalls = new InFlight();
    const follows: Follow[] = Array.from({ length: FOLLOWERS }, (_, i) => ({ tenantId: 'tenant-contoso', conversationId: chat(i), target: { kind: 'deal', dealId: 'D-1042' }, createdAt: NOW, followedBy: ALEX }));
    store.follows = { ...store.follows, followersOf: async () => follows };
    for (let i = 0; i < FOLLOWERS; i++) {
      await store.conversations.save({ tenantId: 'tenant-contoso', conversationId: chat(i), conversationType: 'personal', reference: {}, installed: true, locale: 'zh-CN', updatedAt: NOW });
    }
    const get = store.conversations.get.bind(store.conversations);
    store.conversations.get = (tenantId, id) => storeCalls.around(() => reads.around(() => get(tenantId, id)));
    const getPerson = store.people.get.bind(store.people);
    store.people.get = (tenantId, id) => storeCalls.around(() => reads.around(() => getPerson(tenantId, id)));
    const createIfAbsent = store.deliveries.createIfAbsent.bind(store.deliveries);
    store.deliveries.createIfAbsent = (d) => storeCalls.around(() => creates.around(() => createIfAbsent(d)));

    const before = { ...aDeal({}, { owner: ALEX }), team: TEAM.map((person) => ({ person, role: 'Consultant' })) };
    const moved = recordAlert(before, { ...before, stage: 'Qualify' }, MEGAN, '2027-03-01T08:59:00.000Z', 0);
    assert.equal(moved.outbox.length, 1);
    deal = (await store.deals.create(moved)).deal;
  });

  const dispatcher = (extra: { onDeliveries?: () => void; concurrency?: number } = {}) =>
    createAlertDispatcher({ store, clock: { now: () => new Date(NOW) }, logger, ...extra });

  it('reads the recipients and creates their deliveries several at a time, never more than 16', async () => {
    assert.equal(await dispatcher().dispatchDeal(deal.tenantId, deal.id), 1);
    assert.equal(store.deliveries.created.length, RECIPIENTS);
    assert.equal(reads.calls, RECIPIENTS);
    assert.ok(storeCalls.most > 1, `store calls overlap (at most ${storeCalls.most} at once)`);
    assert.ok(storeCalls.most <= 16, `at most 16 store calls at once, saw ${storeCalls.most}`);
    assert.equal(storeCalls.most, 16, 'the pool is used to its bound when there is enough work');
  });

  it('the bound is configurable (1: one store call at a time, as before)', async () => {
    await dispatcher({ concurrency: 1 }).dispatchDeal(deal.tenantId, deal.id);
    assert.equal(storeCalls.most, 1);
    assert.equal(store.deliveries.created.length, RECIPIENTS);
  });

  it('takes the alert out of the outbox only after every delivery record exists, with the recipients counted', async () => {
    const replace = store.deals.replace.bind(store.deals);
    let existingAtReplace = -1;
    store.deals.replace = async (next, etag) => {
      existingAtReplace = store.deliveries.rows.size;
      assert.equal(creates.now, 0, 'no create is still running');
      return replace(next, etag);
    };
    await dispatcher().dispatchDeal(deal.tenantId, deal.id);
    assert.equal(existingAtReplace, RECIPIENTS);
    const after = store.deals.deal(deal.id);
    assert.deepEqual(after.outbox, []);
    assert.equal(after.alertLog.at(-1)?.recipients, RECIPIENTS);
    assert.ok(store.deliveries.rows.has(alertMessageId(deal.outbox[0]!.id, chat(0))));
    assert.ok(store.deliveries.rows.has(alertMessageId(deal.outbox[0]!.id, ALEX.id)));
    assert.ok(!store.deliveries.rows.has(alertMessageId(deal.outbox[0]!.id, MEGAN.id)), 'not to the one who made the change');
    assert.equal(store.deliveries.row(alertMessageId(deal.outbox[0]!.id, chat(7))).recipient.locale, 'zh-CN');
  });

  it('a failed create leaves the alert in the outbox, waits for the creates in flight, and a repeat creates each delivery once', async () => {
    const createIfAbsent = store.deliveries.createIfAbsent;
    let n = 0;
    store.deliveries.createIfAbsent = async (d) => {
      if (++n === 30) {
        await roundTrip();
        throw new Error('store unavailable');
      }
      return createIfAbsent(d);
    };
    await assert.rejects(dispatcher().dispatchDeal(deal.tenantId, deal.id), /store unavailable/);
    assert.equal(creates.now, 0, 'nothing still writing once the dispatch has failed');
    assert.equal(store.deals.deal(deal.id).outbox.length, 1, 'the alert stays in the outbox');
    assert.ok(store.deliveries.rows.size < RECIPIENTS);

    store.deliveries.createIfAbsent = createIfAbsent;
    assert.equal(await dispatcher().dispatchDeal(deal.tenantId, deal.id), 1);
    assert.equal(store.deliveries.rows.size, RECIPIENTS);
    assert.equal(new Set(store.deliveries.created).size, store.deliveries.created.length, 'no delivery created twice');
    assert.deepEqual(store.deals.deal(deal.id).outbox, []);
  });

  it('a person with alerts off gets no delivery and is not counted', async () => {
    await store.people.upsert({ tenantId: deal.tenantId, id: TEAM[3]!.id, name: TEAM[3]!.name, alertsOff: true });
    await dispatcher().dispatchDeal(deal.tenantId, deal.id);
    assert.equal(store.deliveries.rows.size, RECIPIENTS - 1);
    assert.equal(store.deals.deal(deal.id).alertLog.at(-1)?.recipients, RECIPIENTS - 1);
  });

  it('wakes the worker as soon as the first delivery exists, not after the last', async () => {
    const createdAtWake: number[] = [];
    await dispatcher({ onDeliveries: () => createdAtWake.push(store.deliveries.rows.size) }).dispatchDeal(deal.tenantId, deal.id);
    assert.ok(createdAtWake.length >= 1);
    assert.ok(createdAtWake[0]! < RECIPIENTS / 2, `woken after ${createdAtWake[0]} of ${RECIPIENTS} deliveries`);
  });
});
