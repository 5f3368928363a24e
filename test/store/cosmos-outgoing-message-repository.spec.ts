import assert from 'node:assert/strict';
import {
  cardPostId,
  cardUpdateId,
  type AlertMessage,
  type OutgoingMessageState,
  alertMessageId,
  FINAL_STATES,
  type NoticeMessage,
  noticeMessageId,
  type Recipient,
} from '../../src/domain/outgoing-message';
import { ConcurrentUpdateError } from '../../src/ports/deal-repository.port';
import type { OutgoingMessageRepository, StoredOutgoingMessage } from '../../src/ports/outgoing-message-repository.port';
import { startTestStore, type TestStore } from '../support/embedded-store';

const NOW = '2026-03-02T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();

const ALEX: Recipient = { kind: 'person', key: 'aad-alex', name: 'Alex Wilber', locale: 'en-US' };
const SALES: Recipient = { kind: 'channel', key: '19:sales/emea?x#y@thread.tacv2', name: 'channel', locale: 'zh-CN' };

function delivery(tenantId: string, alertId: string, recipient: Recipient, patch: Partial<AlertMessage> = {}): AlertMessage {
  const dealId = alertId.split('.')[0];
  return {
    id: alertMessageId(alertId, recipient.key),
    tenantId,
    alert: {
      id: alertId,
      tenantId,
      dealId,
      title: 'Cloud migration',
      account: 'Contoso',
      changes: [{ kind: 'value', from: { amount: 250000, currency: 'EUR' }, to: { amount: 900000, currency: 'EUR' } }],
      actors: [{ id: 'aad-megan', name: 'Megan Bowen' }],
      at: NOW,
    },
    recipient,
    state: 'queued',
    attempts: 0,
    nextAttemptAt: NOW,
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

function noticeDelivery(tenantId: string, dealId: string, id: string, recipient: Recipient, patch: Partial<NoticeMessage> = {}): NoticeMessage {
  return {
    id,
    tenantId,
    payload: { type: 'notice', dealId, notice: { id: 'R1.0.0', kind: 'approvalCard', round: 1 } },
    operation: 'post',
    recipient,
    state: 'queued',
    attempts: 0,
    nextAttemptAt: NOW,
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

describe('CosmosOutgoingMessageRepository (embedded Cosmos server)', () => {
  let t: TestStore;
  let deliveries: OutgoingMessageRepository;
  let n = 0;
  let tenantA: string;
  let tenantB: string;

  before(async () => {
    t = await startTestStore();
    deliveries = t.store.deliveries;
  });
  after(async () => t?.stop());
  beforeEach(async () => {
    n += 1;
    tenantA = `tenant-a-${n}`;
    tenantB = `tenant-b-${n}`;
    // findClaimable and listLeasedBy see every tenant: start each test from an empty container.
    const container = t.database.container('deliveries-v2');
    const { resources } = await container.items.query<{ id: string; tenantId: string; dealId: string }>('SELECT c.id, c.tenantId, c.dealId FROM c').fetchAll();
    await Promise.all(resources.map((d) => container.item(d.id, [d.tenantId, d.dealId]).delete()));
  });

  /** Reads one back through findClaimable's twin, listForDeal, to get the stored form. */
  const read = async (d: AlertMessage) => (await deliveries.listForDeal(d.tenantId, d.alert.dealId, 100)).find((x) => x.id === d.id);
  const claimable = async (now: string, limit = 100) => (await deliveries.findClaimable(now, limit)).map((s) => s.delivery.id);

  describe('createIfAbsent', () => {
    it('creates once: the second call is false and leaves the stored one unchanged', async () => {
      const first = delivery(tenantA, 'D-1001.A1', ALEX);
      assert.equal(await deliveries.createIfAbsent(first), true);
      assert.equal(await deliveries.createIfAbsent({ ...first, state: 'failed', attempts: 9, updatedAt: at(5) }), false);
      assert.deepEqual(await read(first), first);
    });

    it('stores the derived final and dealId fields, and gives back exactly the AlertMessage', async () => {
      const d = delivery(tenantA, 'D-1001.A1', SALES, { state: 'sent', sentAt: at(1), activityId: '1700000000000' });
      await deliveries.createIfAbsent(d);
      const { resource } = await t.database.container('deliveries-v2').item(d.id, [tenantA, 'D-1001']).read();
      assert.equal(resource.type, 'delivery');
      assert.equal(resource.final, true);
      assert.equal(resource.dealId, 'D-1001');
      assert.deepEqual(await read(d), d);
    });

    it('keeps the same delivery id apart in two tenants', async () => {
      assert.equal(await deliveries.createIfAbsent(delivery(tenantA, 'D-1001.A1', ALEX)), true);
      assert.equal(await deliveries.createIfAbsent(delivery(tenantB, 'D-1001.A1', ALEX)), true);
    });
  });

  describe('findClaimable', () => {
    it('returns due, unfinished, unleased or lease-expired deliveries of every tenant, earliest first', async () => {
      const due = delivery(tenantA, 'D-1001.A1', ALEX, { nextAttemptAt: at(-5) });
      const retrying = delivery(tenantB, 'D-1001.A1', ALEX, { state: 'retrying', attempts: 2, nextAttemptAt: at(-10) });
      const dueNow = delivery(tenantA, 'D-1002.A1', SALES, { state: 'throttled', nextAttemptAt: NOW });
      const expired = delivery(tenantA, 'D-1003.A1', ALEX, { state: 'sending', nextAttemptAt: at(-20), lease: { owner: 'i-1', until: at(-1) } });
      const expiresNow = delivery(tenantB, 'D-1003.A1', ALEX, { state: 'sending', nextAttemptAt: at(-15), lease: { owner: 'i-1', until: NOW } });
      const leased = delivery(tenantA, 'D-1004.A1', ALEX, { state: 'sending', nextAttemptAt: at(-30), lease: { owner: 'i-2', until: at(1) } });
      const later = delivery(tenantA, 'D-1005.A1', ALEX, { state: 'retrying', nextAttemptAt: at(1) });
      const finals = FINAL_STATES.map((state: OutgoingMessageState, i) => delivery(tenantB, `D-20${i}.A1`, ALEX, { state, nextAttemptAt: at(-60) }));
      for (const d of [due, retrying, dueNow, expired, expiresNow, leased, later, ...finals]) await deliveries.createIfAbsent(d);

      assert.deepEqual(await claimable(NOW), [expired.id, expiresNow.id, retrying.id, due.id, dueNow.id]);
      assert.deepEqual(await claimable(NOW, 2), [expired.id, expiresNow.id]);
      assert.deepEqual(await claimable(NOW, 0), []);
      // Later on, the lease has expired and the retry is due.
      assert.deepEqual((await claimable(at(2))).sort(), [due, retrying, dueNow, expired, expiresNow, leased, later].map((d) => d.id).sort());
      assert.deepEqual(await claimable(at(-100)), []);
    });

    it('hands back each delivery as stored, with an etag for the claim', async () => {
      const d = delivery(tenantA, 'D-1001.A1', SALES);
      await deliveries.createIfAbsent(d);
      const [found] = await deliveries.findClaimable(NOW, 10);
      assert.deepEqual(found.delivery, d);
      assert.ok(found.etag);
    });
  });

  describe('replace', () => {
    it('writes with the current etag and refuses a stale one', async () => {
      const d = delivery(tenantA, 'D-1001.A1', ALEX);
      await deliveries.createIfAbsent(d);
      const [found] = await deliveries.findClaimable(NOW, 10);
      const claimed = { ...d, state: 'sending' as const, lease: { owner: 'i-1', until: at(1) }, updatedAt: NOW };
      const after = await deliveries.replace(claimed, found.etag);
      assert.deepEqual(after.delivery, claimed);
      assert.notEqual(after.etag, found.etag);
      await assert.rejects(deliveries.replace({ ...d, state: 'failed' }, found.etag), ConcurrentUpdateError);
      // Sent: final, and the lease dropped (undefined is not stored): no longer claimable even after `until`.
      const sent = { ...claimed, state: 'sent' as const, lease: undefined, sentAt: NOW, attempts: 1 };
      await deliveries.replace(sent, after.etag);
      assert.deepEqual(await claimable(at(10)), []);
      const { resource } = await t.database.container('deliveries-v2').item(d.id, [tenantA, 'D-1001']).read();
      assert.equal(resource.final, true);
      assert.ok(!('lease' in resource));
    });

    it('lets exactly one of ten racing claims win from the same etag', async () => {
      await deliveries.createIfAbsent(delivery(tenantA, 'D-1001.A1', ALEX));
      const [found] = await deliveries.findClaimable(NOW, 10);
      const claims = Array.from({ length: 10 }, (_, i) =>
        deliveries.replace({ ...found.delivery, state: 'sending', lease: { owner: `i-${i}`, until: at(1) } }, found.etag),
      );
      const results = await Promise.allSettled(claims);
      const won = results.filter((r): r is PromiseFulfilledResult<StoredOutgoingMessage> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 9);
      for (const r of lost) assert.ok(r.reason instanceof ConcurrentUpdateError, String(r.reason));
      const winner = won[0].value.delivery.lease?.owner;
      assert.deepEqual((await deliveries.listLeasedBy(winner!)).map((s) => s.delivery), [won[0].value.delivery]);
      assert.deepEqual(await claimable(NOW), []);
    });
  });

  describe('listForDeal', () => {
    it('lists one deal’s deliveries newest first (same moment: by id, descending), up to the limit, in one tenant', async () => {
      const a1alex = delivery(tenantA, 'D-1001.A1', ALEX, { createdAt: at(0) });
      const a1sales = delivery(tenantA, 'D-1001.A1', SALES, { createdAt: at(0) });
      const a2alex = delivery(tenantA, 'D-1001.A2', ALEX, { createdAt: at(5), state: 'sent' });
      const otherDeal = delivery(tenantA, 'D-1002.A1', ALEX, { createdAt: at(9) });
      const otherTenant = delivery(tenantB, 'D-1001.A3', ALEX, { createdAt: at(9) });
      for (const d of [a1alex, a2alex, otherDeal, a1sales, otherTenant]) await deliveries.createIfAbsent(d);
      const sameMoment = [a1alex, a1sales].sort((x, y) => (x.id < y.id ? 1 : -1));
      assert.deepEqual(await deliveries.listForDeal(tenantA, 'D-1001', 10), [a2alex, ...sameMoment]);
      assert.deepEqual(await deliveries.listForDeal(tenantA, 'D-1001', 2), [a2alex, sameMoment[0]]);
      assert.deepEqual(await deliveries.listForDeal(tenantB, 'D-1001', 10), [otherTenant]);
      assert.deepEqual(await deliveries.listForDeal(tenantB, 'D-1002', 10), []);
      assert.deepEqual(await deliveries.listForDeal(tenantA, 'D-1001', 0), []);
    });
  });

  describe('notice deliveries', () => {
    it('round-trip with payload and operation; dealId is derived from the payload; get reads one by id, per tenant', async () => {
      const post = noticeDelivery(tenantA, 'D-1001', cardPostId('D-1001'), SALES, { state: 'sent', activityId: '1:activity-7', sentAt: at(1) });
      const update = noticeDelivery(tenantA, 'D-1001', cardUpdateId('D-1001', 'R1.1.0'), SALES, {
        operation: 'update',
        payload: { type: 'notice', dealId: 'D-1001', notice: { id: 'R1.1.0', kind: 'approvalCard', round: 1 } },
      });
      const toMegan = noticeDelivery(tenantA, 'D-1001', noticeMessageId('D-1001', 'R1.0.1', 'aad-megan'), ALEX, {
        operation: undefined,
        payload: { type: 'notice', dealId: 'D-1001', notice: { id: 'R1.0.1', kind: 'toApprovers', round: 1, levelId: 'director', to: [{ id: 'aad-megan', name: 'Megan Bowen' }], reason: 'requested' } },
      });
      delete toMegan.operation;
      for (const d of [post, update, toMegan]) assert.equal(await deliveries.createIfAbsent(d), true);
      assert.equal(await deliveries.createIfAbsent({ ...post, state: 'queued' }), false);

      const found = await deliveries.get(tenantA, 'D-1001', post.id);
      assert.deepEqual(found?.delivery, post);
      assert.ok(found?.etag);
      assert.deepEqual((await deliveries.get(tenantA, 'D-1001', toMegan.id))?.delivery, toMegan);
      assert.equal(await deliveries.get(tenantB, 'D-1001', post.id), undefined, 'another tenant');
      assert.equal(await deliveries.get(tenantA, 'D-9999', cardPostId('D-9999')), undefined, 'unknown id');

      const { resource } = await t.database.container('deliveries-v2').item(post.id, [tenantA, 'D-1001']).read();
      assert.deepEqual([resource.dealId, resource.final, resource.operation, resource.payload.type], ['D-1001', true, 'post', 'notice']);
      assert.deepEqual((await deliveries.findClaimable(NOW, 10)).map((s) => s.delivery).sort((x, y) => x.id.localeCompare(y.id)), [update, toMegan].sort((x, y) => x.id.localeCompare(y.id)));
      // get's etag is good for a conditional write.
      const claimed = await deliveries.replace({ ...update, state: 'sending', lease: { owner: 'i-1', until: at(1) } }, (await deliveries.get(tenantA, 'D-1001', update.id))!.etag);
      assert.equal(claimed.delivery.state, 'sending');
    });

    it('an alert delivery read by get is exactly the AlertMessage, without a payload; listForDeal leaves notices out', async () => {
      const alert = delivery(tenantA, 'D-1001.A1', ALEX, { createdAt: at(0) });
      const notice = noticeDelivery(tenantA, 'D-1001', cardPostId('D-1001'), SALES, { createdAt: at(5) });
      await deliveries.createIfAbsent(alert);
      await deliveries.createIfAbsent(notice);
      const read = (await deliveries.get(tenantA, 'D-1001', alert.id))!.delivery;
      assert.deepEqual(read, alert);
      assert.ok(!('payload' in read));
      assert.deepEqual(await deliveries.listForDeal(tenantA, 'D-1001', 10), [alert]);
    });
  });

  describe('listLeasedBy', () => {
    it('lists the unfinished deliveries holding an owner’s lease, in every tenant', async () => {
      const mineA = delivery(tenantA, 'D-1001.A1', ALEX, { state: 'sending', lease: { owner: 'i-1', until: at(1) } });
      const mineExpiredB = delivery(tenantB, 'D-1001.A1', ALEX, { state: 'sending', lease: { owner: 'i-1', until: at(-1) } });
      const mineButSent = delivery(tenantA, 'D-1002.A1', ALEX, { state: 'sent', lease: { owner: 'i-1', until: at(1) } });
      const theirs = delivery(tenantA, 'D-1003.A1', ALEX, { state: 'sending', lease: { owner: 'i-2', until: at(1) } });
      const unleased = delivery(tenantA, 'D-1004.A1', ALEX);
      for (const d of [mineA, mineExpiredB, mineButSent, theirs, unleased]) await deliveries.createIfAbsent(d);
      const mine = await deliveries.listLeasedBy('i-1');
      assert.deepEqual(mine.map((s) => s.delivery).sort((x, y) => x.tenantId.localeCompare(y.tenantId)), [mineA, mineExpiredB]);
      assert.ok(mine.every((s) => s.etag));
      assert.deepEqual(await deliveries.listLeasedBy('i-9'), []);
    });
  });
});
