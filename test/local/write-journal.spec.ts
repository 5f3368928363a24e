import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CosmosClient, Database } from '@azure/cosmos';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { folder } from '../../src/local/fold-journal';
import { type JournalEntry, journalFileName, parseJournal } from '../../src/local/journal-file';
import { readJournals, replayJournal } from '../../src/local/replay-journal';
import { importSnapshot, readSnapshot } from '../../src/local/snapshot';
import { WriteJournal } from '../../src/local/write-journal';
import { CONTAINERS } from '../../src/store/containers';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { openCosmosStore } from '../../src/store/cosmos-store';
import { withoutSystemFields } from '../../src/store/deal-document';
import { MemoryLogger } from '../support/memory-logger';
import { startTestStore, type TestStore } from '../support/embedded-store';

/**
 * Issue 14, item 5, in process: the embedded server of local mode writes every document write to its journal, and
 * syncs it, before the answer leaves; the journal replayed over the last snapshot rebuilds the store exactly.
 */
describe('the local journal: every answered write is on disk before its answer', function () {
  this.timeout(30_000);
  let dir: string;
  let journal: WriteJournal;
  let server: EmbeddedCosmos;
  let client: CosmosClient;
  let database: Database;
  let target: TestStore | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dealdesk-journal-'));
    journal = new WriteJournal(dir);
    server = await startEmbeddedCosmos({ journal });
    client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true });
    await openCosmosStore({ client, databaseId: 'dealdesk' });
    database = client.database('dealdesk');
    await journal.open(1);
  });
  afterEach(async () => {
    await journal.close();
    client.dispose();
    await server.close();
    await target?.stop();
    target = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** The journal as it is on disk right now (read synchronously, the moment an answer arrived). */
  const onDisk = (n = 1): JournalEntry[] => {
    const file = join(dir, journalFileName(n));
    return parseJournal(file, readFileSync(file, 'utf8')).entries;
  };
  const deal = (id: string, title: string, dealId = id) => ({ id, tenantId: 'tenant-1', dealId, type: 'deal', title });
  /** A deal's full hierarchical key (containers.ts). */
  const key = (id: string) => ['tenant-1', id];
  const titleOf = (entry: JournalEntry | undefined) => (entry?.op === 'put' ? entry.doc.title : entry);

  it('journals each create, replace, upsert, patch, delete and batch by the time it is answered; refused writes not at all', async () => {
    const deals = database.container('deals-v2');
    const { resource: created } = await deals.items.create(deal('D-1', 'one'));
    assert.deepEqual(onDisk(), [{ op: 'put', coll: 'deals-v2', doc: created }]);
    await assert.rejects(deals.items.create(deal('D-1', 'again')), (e: any) => e.code === 409);
    const { resource: replaced } = await deals.item('D-1', key('D-1')).replace(deal('D-1', 'two'), { accessCondition: { type: 'IfMatch', condition: created!._etag } });
    assert.equal(onDisk().length, 2);
    assert.equal(titleOf(onDisk()[1]), 'two');
    await assert.rejects(deals.item('D-1', key('D-1')).replace(deal('D-1', 'stale'), { accessCondition: { type: 'IfMatch', condition: created!._etag } }), (e: any) => e.code === 412);
    await deals.items.upsert(deal('D-1', 'three'));
    assert.equal(titleOf(onDisk()[2]), 'three');
    await deals.item('D-1', key('D-1')).patch([{ op: 'set', path: '/title', value: 'four' }]);
    assert.equal(titleOf(onDisk()[3]), 'four');
    await deals.item('D-1', key('D-1')).delete();
    assert.deepEqual(onDisk()[4], { op: 'delete', coll: 'deals-v2', id: 'D-1', pk: ['tenant-1', 'D-1'] }, 'a delete names the full key');
    await assert.rejects(deals.item('D-1', key('D-1')).delete(), (e: any) => e.code === 404);
    await deals.items.batch(
      [
        { operationType: 'Create', resourceBody: deal('D-2', 'batched'), partitionKey: key('D-2') },
        { operationType: 'Upsert', resourceBody: deal('D-2.history.0', 'batched too', 'D-2'), partitionKey: key('D-2') },
        { operationType: 'Delete', id: 'D-2', partitionKey: key('D-2') },
      ],
      key('D-2'),
    );
    assert.deepEqual(onDisk().slice(5).map((e) => (e.op === 'put' ? `put ${e.doc.id}` : `delete ${e.id}`)), ['put D-2', 'put D-2.history.0', 'delete D-2']);
    assert.equal(onDisk().length, 8, 'the refused writes (409, 412, 404) added nothing');
    assert.ok(replaced);
  });

  it('racing writes: each is on disk when answered, in the order the server applied them', async () => {
    const people = database.container('people-v2');
    const answered = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const { resource } = await people.items.upsert({ id: 'p-1', tenantId: 'tenant-1', personId: 'p-1', name: `name ${i}` });
        assert.ok(onDisk().some((e) => e.op === 'put' && e.doc._etag === resource!._etag), `write ${i} is on disk when answered`);
        return resource!;
      }),
    );
    const { resource: final } = await people.item('p-1', ['tenant-1', 'p-1']).read();
    const last = onDisk().at(-1);
    assert.equal(last?.op === 'put' && last.doc._etag, final._etag, 'the last entry is the state the server kept');
    assert.equal(answered.length, 60);
  });

  it('a fold while writes go on loses and doubles nothing: snapshot plus the journal after it rebuild the store', async () => {
    const logger = new MemoryLogger();
    const file = join(dir, 'cosmos.json');
    const fold = folder({ database, file, journal, logger });
    const deals = database.container('deals-v2');
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 120; i += 1) {
      writes.push(deals.items.upsert(deal(`D-${i % 40}`, `v${i}`)));
      if (i % 10 === 9) writes.push(deals.item(`D-${i % 40}`, key(`D-${i % 40}`)).delete().catch(() => undefined));
      if (i === 30 || i === 80) writes.push(fold.now());
      if (i % 20 === 0) await Promise.all(writes.splice(0));
    }
    await Promise.all(writes);
    assert.deepEqual(logger.errors(), []);
    const snapshot = (await readSnapshot(file))!;
    assert.ok(snapshot.journal >= 2, 'two folds');
    assert.ok(readdirSync(dir).every((name) => !name.startsWith('journal-') || Number(/\d+/.exec(name)![0]) > snapshot.journal), 'folded files removed');

    // A crash now: a new server loads the snapshot and replays what follows it.
    target = await startTestStore();
    const after = await readJournals(dir, snapshot.journal);
    assert.ok(after.entries.length > 0, 'some writes came after the last fold');
    await importSnapshot(target.database, snapshot);
    await replayJournal(target.database, after.entries);
    assert.deepEqual(await contents(target.database), await contents(database));
  });

  it('replaying rebuilds every container exactly, deletes included', async () => {
    await database.container('deals-v2').items.create(deal('D-1', 'kept'));
    await database.container('deals-v2').items.create(deal('D-2', 'deleted'));
    await database.container('follows-v2').items.create({ id: 'f-1', tenantId: 'tenant-2', conversationId: '19:sales', target: { kind: 'deal', dealId: 'D-1' } });
    await database.container('deals-v2').item('D-2', key('D-2')).delete();
    await database.container('deals-v2').item('D-1', key('D-1')).patch([{ op: 'set', path: '/title', value: 'patched' }]);
    target = await startTestStore();
    await replayJournal(target.database, (await readJournals(dir, 0)).entries);
    assert.deepEqual(await contents(target.database), await contents(database));
    assert.equal((await contents(target.database))['deals-v2'].length, 1);
  });

  it('a closed journal refuses every request rather than answer a write it cannot keep', async () => {
    await journal.close();
    await assert.rejects(database.container('deals-v2').items.create(deal('D-9', 'too late')), (e: any) => e.code === 503);
    assert.equal(existsSync(join(dir, journalFileName(1))), true);
    assert.deepEqual(onDisk(), []);
  });
});

async function contents(database: Database): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const { id } of CONTAINERS) {
    const { resources } = await database.container(id).items.query<Record<string, unknown> & { id: string }>('SELECT * FROM c').fetchAll();
    out[id] = resources.map((r) => withoutSystemFields(r)).sort((a, b) => JSON.stringify([a.tenantId, a.id]).localeCompare(JSON.stringify([b.tenantId, b.id])));
  }
  return out;
}
