import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CosmosClient, Database } from '@azure/cosmos';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { createCosmosClient, ensureDatabase } from '../../src/store/cosmos-client';
import { partitionKeyOf } from '../../src/store/partition-keys';
import { SUCCESSOR_OF } from '../../src/store/containers';
import { MARKER_ID, MARKER_TENANT, readMarker, replaceMarker } from '../../src/store/migration/layout-marker';
import { migrateLayout, MOVING, type MigrateOptions } from '../../src/store/migration/migrate-layout';
import { dropLegacy } from '../../src/store/migration/drop-legacy';
import { CosmosDealRepository } from '../../src/store/cosmos-deal-repository';
import { countWrites } from '../support/embedded-store';
import { FIXTURE_TIME, LEGACY_ITEMS, crashAfterWrites, differencesAfterMove, itemsOf, loadLegacyFixture, stallAfterFirstPage } from '../support/legacy-layout';
import { MemoryLogger } from '../support/memory-logger';
import { sleep } from '../support/wait-for';

/**
 * Issue 16, item 4: data written by DealDesk before the partitioned layout (the fixture, made by eec5967's code) moves
 * to the new containers, through the real @azure/cosmos client against an embedded server this test starts (the Azure
 * path): idempotent, resumable after a crash at any write, and one mover among instances starting at once.
 */
describe('moving the data of the legacy layout to the partitioned containers (store, Azure path)', function () {
  this.timeout(120_000);
  let server: EmbeddedCosmos;
  let client: CosmosClient;
  const startedAt = Date.now();
  /** DealDesk's time: just after the fixture was made, running on. */
  const clock = { now: () => new Date(FIXTURE_TIME + Date.now() - startedAt) };
  const options = (extra: Partial<MigrateOptions> = {}): MigrateOptions => ({ instanceId: randomUUID(), clock, logger: new MemoryLogger(), pollMs: 20, ...extra });
  const TOTAL = MOVING.reduce((n, id) => n + LEGACY_ITEMS[id].length, 0);

  before(async () => {
    server = await startEmbeddedCosmos({ clock });
    client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true });
  });
  after(async () => {
    client.dispose();
    await server.close();
  });

  /** A database as an installation of eec5967 left it, with today's containers created next to it (start-up does that). */
  async function legacyDatabase(): Promise<Database> {
    const database = client.database(`legacy-${randomUUID()}`);
    await client.databases.createIfNotExists({ id: database.id });
    await loadLegacyFixture(server, database);
    await ensureDatabase(client, database.id);
    return database;
  }

  it('moves every item of the fixture into its new container with its key fields, once; settings stays where it is', async () => {
    const database = await legacyDatabase();
    const report = await migrateLayout(database, options());
    assert.equal(report.outcome, 'moved');
    assert.deepEqual(report.moved, Object.fromEntries(MOVING.map((id) => [id, LEGACY_ITEMS[id].length])));
    assert.deepEqual(await differencesAfterMove(database, MOVING), []);
    for (const id of MOVING) {
      for (const item of (await itemsOf(database, SUCCESSOR_OF[id])).values()) partitionKeyOf(SUCCESSOR_OF[id], item); // throws when a key field is missing
    }
    const deal = (await itemsOf(database, 'deals-v2')).get('00000000-0000-0000-0000-000000000001 D-1002.history.0')!;
    assert.equal(deal.dealId, 'D-1002', 'an archive document lands in its deal\'s partition');
    assert.equal((await itemsOf(database, 'settings')).size, LEGACY_ITEMS.settings.length + 1, 'the settings plus the marker');
  });

  it('every moved deal gets its search keys: the compose-box search finds the fixture\'s deals by a word\'s prefix, an account, an id', async () => {
    const database = await legacyDatabase();
    await migrateLayout(database, options());
    const deals = new CosmosDealRepository(database.container('deals-v2'));
    const tenant = '00000000-0000-0000-0000-000000000001';
    const found = async (text: string, tenantId = tenant) => (await deals.searchSummaries(tenantId, text, 25)).map((d) => d.id);
    assert.deepEqual(await found('azure migr'), ['D-1001']);
    assert.deepEqual(await found('FABRIKAM'), ['D-1002']);
    assert.deepEqual(await found('d-1003'), ['D-1003']);
    assert.deepEqual(await found('contoso', '00000000-0000-0000-0000-000000000002'), ['D-1001']);
    const archive = (await itemsOf(database, 'deals-v2')).get('00000000-0000-0000-0000-000000000001 D-1002.history.0')!;
    assert.equal(archive.searchKeys, undefined, 'an archive document is no deal: no keys');
  });

  it('a finished delivery keeps the expiry it had (its ttl shortened by the time already spent); an expired one is not copied', async () => {
    const database = await legacyDatabase();
    const finished = LEGACY_ITEMS.deliveries.find((d) => d.state === 'sent' && typeof d.ttl === 'number')!;
    const later = new Date(((finished._ts as number) + (finished.ttl as number) - 100) * 1000 + 500);
    await migrateLayout(database, options({ clock: { now: () => later } }));
    const copies = await itemsOf(database, 'deliveries-v2');
    const copy = copies.get(`${finished.tenantId} ${finished.id}`)!;
    assert.ok(copy.ttl === 100, `ttl ${copy.ttl}: the 100 s it had left`);
    const unfinished = LEGACY_ITEMS.deliveries.filter((d) => d.ttl === undefined);
    assert.ok(unfinished.length > 0 && unfinished.every((d) => copies.get(`${d.tenantId} ${d.id}`)?.ttl === undefined), 'deliveries in progress never expire');

    const database2 = await legacyDatabase();
    await migrateLayout(database2, options({ clock: { now: () => new Date(later.getTime() + 200_000) } }));
    assert.equal((await itemsOf(database2, 'deliveries-v2')).has(`${finished.tenantId} ${finished.id}`), false);
  });

  it('is idempotent: a second run finds the marker done, moves nothing and writes nothing', async () => {
    const database = await legacyDatabase();
    await migrateLayout(database, options());
    const writes = countWrites(server);
    const logger = new MemoryLogger();
    const again = await migrateLayout(database, options({ logger }));
    assert.equal(again.outcome, 'done before');
    assert.deepEqual(again.moved, {});
    assert.equal(writes.total(), 0);
    assert.deepEqual(logger.lines, []);
    assert.deepEqual(await differencesAfterMove(database, MOVING), []);
  });

  it('a fresh install (no legacy containers) has no migration work: no write, no log line', async () => {
    const databaseId = `fresh-${randomUUID()}`;
    const database = await ensureDatabase(client, databaseId);
    const writes = countWrites(server);
    const logger = new MemoryLogger();
    const report = await migrateLayout(database, options({ logger }));
    assert.equal(report.outcome, 'fresh');
    assert.equal(writes.total(), 0);
    assert.deepEqual(logger.lines, []);
  });

  for (const applied of [false, true]) {
    it(`resumes after a crash at any write (${applied ? 'the write applied, its answer lost' : 'the write never made'}): the new containers then hold exactly the legacy items`, async () => {
      // A whole run's writes: every item created, plus the marker's create, one checkpoint per page and container, and done.
      const probe = await legacyDatabase();
      const counting = crashAfterWrites(probe, Number.MAX_SAFE_INTEGER);
      await migrateLayout(counting.database, options());
      const all = counting.writes();
      assert.ok(all > TOTAL, `${all} writes`);
      // Every k: the marker's create (1), first item (2), middle and last of each container, between containers, after the
      // last item before done (all - 1), the done write itself (all).
      for (let k = 1; k <= all; k++) {
        const database = await legacyDatabase();
        const crashing = crashAfterWrites(database, k, applied);
        const run = migrateLayout(crashing.database, options({ leaseMs: 30 }));
        if (k < all || applied) await assert.rejects(run, /crashed after write/, `k=${k}`);
        // The done write was the last, unless this run renewed its 30 ms lease on the way (the fence before a batch of
        // creates does when a third of it is left): then it has more writes, and crashes at the k-th.
        else await run.catch((e: Error) => assert.match(e.message, /crashed after write/, `k=${k}`));
        const resumed = await migrateLayout(database, options()); // a new process, once the dead one's lease ran out
        assert.notEqual(resumed.outcome, 'fresh');
        assert.deepEqual(await differencesAfterMove(database, MOVING), [], `k=${k}`);
      }
    });
  }

  it('three instances starting at once against one server: one moves, the others wait until done; the same set results', async () => {
    const database = await legacyDatabase();
    const clients = [0, 1, 2].map(() => createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true }));
    try {
      const loggers = clients.map(() => new MemoryLogger());
      const reports = await Promise.all(clients.map((c, i) => migrateLayout(c.database(database.id), options({ logger: loggers[i] }))));
      assert.deepEqual(reports.map((r) => r.outcome).sort(), ['moved', 'waited', 'waited']);
      const mover = reports.find((r) => r.outcome === 'moved')!;
      assert.equal(Object.values(mover.moved).reduce((a, b) => a! + b!, 0), TOTAL);
      for (const [i, r] of reports.entries()) {
        if (r.outcome !== 'waited') continue;
        assert.deepEqual(r.moved, {});
        assert.ok(loggers[i].lines.some((l) => /another instance is moving the data/.test(l.msg ?? '')), 'a waiting instance says so');
      }
      assert.deepEqual(await differencesAfterMove(database, MOVING), []);
    } finally {
      for (const c of clients) c.dispose();
    }
  });

  it('an instance that died holding the lease is taken over once its lease runs out; the waiting instance finishes the move', async () => {
    const database = await legacyDatabase();
    const crashing = crashAfterWrites(database, 20);
    await assert.rejects(migrateLayout(crashing.database, options({ leaseMs: 400 })), /crashed/);
    const logger = new MemoryLogger();
    const report = await migrateLayout(database, options({ logger }));
    assert.equal(report.outcome, 'moved');
    assert.ok(logger.lines.some((l) => /another instance is moving/.test(l.msg ?? '')), 'it waited first');
    assert.ok(logger.lines.some((l) => /taking over/.test(l.msg ?? '')));
    assert.deepEqual(await differencesAfterMove(database, MOVING), []);
  });

  it('waits for a live holder only so long, then fails with one line', async () => {
    const database = await legacyDatabase();
    const crashing = crashAfterWrites(database, 3);
    await assert.rejects(migrateLayout(crashing.database, options({ leaseMs: 60_000 })), /crashed/);
    await assert.rejects(migrateLayout(database, options({ waitMs: 200 })), /still being moved .* after 0 s of waiting/);
  });

  it('waits as long as the holder makes progress, however long the whole move takes', async () => {
    const database = await legacyDatabase();
    const holder = options({ leaseMs: 60_000 });
    await assert.rejects(migrateLayout(crashAfterWrites(database, 3).database, holder), /crashed/);
    const waiting = migrateLayout(database, options({ waitMs: 300 }));
    // The holder checkpoints every 100 ms for a second, three times the waiter's patience, then finishes.
    const settings = database.container('settings');
    for (let i = 0; i < 10; i++) {
      await sleep(100);
      const marker = (await readMarker(settings))!;
      assert.ok(await replaceMarker(settings, marker, { ...marker, lease: { owner: holder.instanceId, until: new Date(Date.now() + 60_000).toISOString() } }));
    }
    assert.equal((await migrateLayout(database, holder)).outcome, 'moved');
    assert.equal((await waiting).outcome, 'waited');
  });

  it('leases run on wall time: an instance whose DealDesk clock is a day ahead (the manual dev clock) waits for a live holder', async () => {
    const database = await legacyDatabase();
    const crashing = crashAfterWrites(database, 3);
    await assert.rejects(migrateLayout(crashing.database, options({ leaseMs: 60_000 })), /crashed/); // holds the lease for a minute
    const dayAhead = { now: () => new Date(clock.now().getTime() + 86_400_000) };
    await assert.rejects(migrateLayout(database, options({ clock: dayAhead, waitMs: 300 })), /still being moved/);
  });

  it('a mover stalled past its lease writes nothing once another took over: a follow removed after the move stays removed', async () => {
    const database = await legacyDatabase();
    let resume!: () => void;
    const stall = stallAfterFirstPage(database, 'follows', new Promise<void>((r) => (resume = r)));
    const staleRun = migrateLayout(stall.database, options({ leaseMs: 300 }));
    await stall.stalled; // it has read the follows and is about to create their copies

    const logger = new MemoryLogger();
    const takeover = await migrateLayout(database, options({ logger }));
    assert.equal(takeover.outcome, 'moved');
    assert.ok(logger.lines.some((l) => /taking over/.test(l.msg ?? '')));
    // The new version serves, and the channel unfollows its deal: the follow's copy is deleted.
    const [follow] = (await itemsOf(database, 'follows-v2')).values();
    await database.container('follows-v2').item(String(follow.id), partitionKeyOf('follows-v2', follow)).delete();

    const writes = countWrites(server);
    resume();
    const stale = await staleRun;
    assert.equal(stale.outcome, 'waited', 'it lost the lease and waited for the move to be done');
    assert.equal(writes.total(['settings']), 0, `no item written after the takeover: ${JSON.stringify([...writes.byContainer])}`);
    assert.equal((await itemsOf(database, 'follows-v2')).size, 0, 'the follow removed after the move stays removed');
  });

  it('--drop-legacy deletes the legacy containers only once the data moved; settings and the marker stay', async () => {
    const database = await legacyDatabase();
    await assert.rejects(dropLegacy(database), /not been moved yet/);
    await migrateLayout(database, options());
    const dropped = await dropLegacy(database);
    assert.deepEqual(dropped, [...MOVING]);
    const { resources } = await database.containers.readAll().fetchAll();
    assert.ok(!resources.some((c) => MOVING.includes(c.id as never)));
    assert.ok((await database.container('settings').item(MARKER_ID, MARKER_TENANT).read()).resource);
    assert.equal((await migrateLayout(database, options())).outcome, 'fresh', 'nothing left to move');
  });
});
