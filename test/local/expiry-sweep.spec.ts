import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Item } from '@azure/cosmos';
import sinon from 'sinon';
import { startEmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { journalFileName, parseJournal } from '../../src/local/journal-file';
import { openLocalStore } from '../../src/local/local-store';
import { readJournals, replayJournal } from '../../src/local/replay-journal';
import { WriteJournal } from '../../src/local/write-journal';
import type { OutgoingMessage, OutgoingMessageState } from '../../src/domain/outgoing-message';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { openCosmosStore } from '../../src/store/cosmos-store';
import { MemoryLogger } from '../support/memory-logger';
import { startTestStore, type TestStore } from '../support/embedded-store';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-26T09:00:00Z');

/** DealDesk's clock, moved by hand. */
class TestClock {
  constructor(public ms = T0) {}
  now = () => new Date(this.ms);
}

function delivery(id: string, state: OutgoingMessageState, at = new Date(T0).toISOString()): OutgoingMessage {
  return {
    id,
    tenantId: 'tenant-1',
    recipient: { kind: 'person', key: 'aad-megan', name: 'Megan Bowen', locale: 'en-US' },
    alert: { id: 'D-1001.A1', tenantId: 'tenant-1', dealId: 'D-1001', title: 'Azure migration', account: 'Contoso', changes: [], actors: [], at },
    state,
    attempts: 1,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

const idsIn = async (t: { database: TestStore['database'] }, container = 'deliveries-v2') =>
  (await t.database.container(container).items.query<{ id: string }>('SELECT c.id FROM c').fetchAll()).resources.map((r) => r.id).sort();

/**
 * Issue 16, item 2: local mode's store honours `ttl` as Azure does, on DealDesk's clock: `_ts` is stamped from that
 * clock and kept across restarts; the sweep deletes only what ran out, a bounded number a round, through the journal.
 */
describe('the local store expires items by _ts + ttl on DealDesk\'s clock (issue 16, item 2)', function () {
  this.timeout(60_000);

  describe('the sweep', () => {
    const clock = new TestClock();
    let t: TestStore;
    beforeEach(async () => {
      clock.ms = T0;
      t = await startTestStore({ clock });
    });
    afterEach(() => t.stop());

    it('deletes a finished delivery exactly when its ttl runs out on DealDesk\'s clock, never one in progress', async () => {
      await t.store.deliveries.createIfAbsent(delivery('sent|1', 'sent'));
      await t.store.deliveries.createIfAbsent(delivery('failed|1', 'failed'));
      await t.store.deliveries.createIfAbsent(delivery('queued|1', 'queued'));
      await t.store.deliveries.createIfAbsent(delivery('retrying|1', 'retrying'));
      clock.ms = T0 + 30 * DAY - 1000;
      assert.equal(await t.store.sweepExpired!(clock.now(), 100), 0, 'a second early: nothing');
      clock.ms = T0 + 30 * DAY;
      assert.equal(await t.store.sweepExpired!(clock.now(), 100), 2);
      assert.deepEqual(await idsIn(t), ['queued|1', 'retrying|1']);
      clock.ms = T0 + 3650 * DAY;
      assert.equal(await t.store.sweepExpired!(clock.now(), 100), 0, 'what is in progress never expires');
    });

    it('counts from the last write: a delivery finished later is kept that much longer', async () => {
      await t.store.deliveries.createIfAbsent(delivery('d|1', 'queued'));
      clock.ms = T0 + 10 * DAY;
      const stored = (await t.store.deliveries.get('tenant-1', 'D-1001', 'd|1'))!;
      await t.store.deliveries.replace({ ...stored.delivery, state: 'sent' }, stored.etag);
      clock.ms = T0 + 31 * DAY;
      assert.equal(await t.store.sweepExpired!(clock.now(), 100), 0);
      clock.ms = T0 + 40 * DAY;
      assert.equal(await t.store.sweepExpired!(clock.now(), 100), 1);
    });

    it('honours a ttl only in a container with TTL on, as Azure does', async () => {
      await t.database.container('follows-v2').items.create({ id: 'f-1', tenantId: 'tenant-1', conversationId: '19:sales', ttl: 60 });
      clock.ms = T0 + 365 * DAY;
      assert.equal(await t.store.sweepExpired!(clock.now(), 100), 0);
      assert.deepEqual(await idsIn(t, 'follows-v2'), ['f-1']);
    });

    it('is bounded: at most `limit` items a sweep, the rest at the next', async () => {
      const ids = Array.from({ length: 1200 }, (_, i) => `sent|${String(i).padStart(4, '0')}`);
      for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((id) => t.store.deliveries.createIfAbsent(delivery(id, 'sent'))));
      clock.ms = T0 + 31 * DAY;
      const rounds = [];
      for (let n = -1; n !== 0; ) rounds.push((n = await t.store.sweepExpired!(clock.now(), 500)));
      assert.deepEqual(rounds, [500, 500, 200, 0]);
      assert.deepEqual(await idsIn(t), []);
    });

    it('leaves an item written again between its query and its delete (the delete is conditional on what it saw)', async () => {
      await t.store.deliveries.createIfAbsent(delivery('alert|1', 'failed'));
      clock.ms = T0 + 31 * DAY;
      const stockDelete = Item.prototype.delete;
      const rewrite = sinon.stub(Item.prototype, 'delete').callsFake(async function (this: Item, ...args: Parameters<Item['delete']>) {
        // Meanwhile it is written again, in progress (a retry): no ttl any more.
        const stored = (await t.store.deliveries.get('tenant-1', 'D-1001', 'alert|1'))!;
        await t.store.deliveries.replace({ ...stored.delivery, state: 'queued' }, stored.etag);
        return stockDelete.apply(this, args);
      });
      try {
        assert.equal(await t.store.sweepExpired!(clock.now(), 100), 0);
      } finally {
        rewrite.restore();
      }
      assert.equal((await t.store.deliveries.get('tenant-1', 'D-1001', 'alert|1'))?.delivery.state, 'queued');
    });
  });

  describe('across restarts', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dealdesk-expiry-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps each item\'s _ts through the snapshot, so a restart does not start its time to live again', async () => {
      const clock = new TestClock();
      const logger = new MemoryLogger();
      const first = await openLocalStore({ dataDir: dir, databaseId: 'dealdesk', logger, clock });
      await first.deliveries.createIfAbsent(delivery('sent|1', 'sent'));
      await first.close(); // folded into the snapshot
      clock.ms = T0 + 29 * DAY;
      const second = await openLocalStore({ dataDir: dir, databaseId: 'dealdesk', logger, clock });
      try {
        assert.equal(await second.sweepExpired!(clock.now(), 100), 0);
        clock.ms = T0 + 30 * DAY;
        assert.equal(await second.sweepExpired!(clock.now(), 100), 1, 'expired 30 days after its write, not after the restart');
        // The delete is in the journal by the time the sweep returns, as every write of local mode.
        const journal = join(dir, journalFileName(2));
        const entries = parseJournal(journal, readFileSync(journal, 'utf8')).entries;
        assert.deepEqual(entries.map((e) => e.op === 'delete' && [e.coll, e.id]), [['deliveries-v2', 'sent|1']]);
      } finally {
        await second.close();
      }
    });

    it('keeps each item\'s _ts through the journal\'s replay', async () => {
      const journal = new WriteJournal(dir);
      const stampedAt = new TestClock(T0 + 5 * DAY);
      const server = await startEmbeddedCosmos({ journal, clock: stampedAt });
      const client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true });
      const target = await startEmbeddedCosmos({ clock: new TestClock(T0 + 20 * DAY) });
      const targetClient = createCosmosClient({ endpoint: target.endpoint, key: target.key, embedded: true });
      try {
        const store = await openCosmosStore({ client, databaseId: 'dealdesk' });
        await journal.open(1);
        await store.deliveries.createIfAbsent(delivery('sent|1', 'sent'));
        await openCosmosStore({ client: targetClient, databaseId: 'dealdesk' });
        const entries = (await readJournals(dir, 0)).entries;
        await target.restoring(() => replayJournal(targetClient.database('dealdesk'), entries));
        const { resource } = await targetClient.database('dealdesk').container('deliveries-v2').item('sent|1', ['tenant-1', 'D-1001']).read<{ _ts: number }>();
        assert.equal(resource?._ts, (T0 + 5 * DAY) / 1000);
      } finally {
        await journal.close();
        client.dispose();
        targetClient.dispose();
        await server.close();
        await target.close();
      }
    });
  });
});
