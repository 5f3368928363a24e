import assert from 'node:assert/strict';
import { Item } from '@azure/cosmos';
import sinon from 'sinon';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import { logOnDeal } from '../../src/app/log-on-deal';
import { readEntryPage } from '../../src/app/read-entry-page';
import { type Deal, withChanges } from '../../src/domain/deal';
import { ARCHIVE_CHUNK, MOST_IN_DEAL } from '../../src/domain/deal-archive';
import { ConcurrentUpdateError } from '../../src/ports/deal-repository.port';
import { archiveIdOf } from '../../src/store/cosmos-deal-archive';
import { ALEX, aDeal } from '../domain/deal-fixture';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

const NOW = new Date('2026-11-26T09:00:00Z');
const at = (i: number) => new Date(Date.parse('2026-11-21T00:00:00.000Z') + i * 1000).toISOString();
const noteOf = (entry: Deal['history'][number]) => (entry.change.kind === 'note' ? entry.change.text : entry.change.kind);
/** An error as a request timeout surfaces from @azure/cosmos: no clear answer whether the write was applied. */
const timeout = () => Object.assign(new Error('Request timed out'), { code: 408 });

/**
 * Issue 14, item 7, on the embedded Cosmos server: a deal's history outgrows its document, so older entries move
 * into archive documents in the deal's partition, written before the deal's conditional replace that counts them.
 * Whatever fails between the two writes (a 412, a timeout before or after the replace landed) and however it is
 * retried, the whole history reads back with no entry missing and none twice.
 */
describe('archived history on the store: two writes, nothing lost or doubled (issue 14, item 7)', () => {
  let t: TestStore;
  let n = 0;
  let tenantId: string;
  let clock = NOW.getTime();
  const deps = (): AppDeps => ({ store: t.store, clock: { now: () => new Date(clock++) }, logger: new MemoryLogger(), settings: DEFAULT_SETTINGS });
  const actor = () => ({ tenantId, user: ALEX });

  before(async () => {
    t = await startTestStore();
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantId = `tenant-archive-${n}`;
  });
  afterEach(() => sinon.restore());

  /** A stored deal with `notes` notes after "created" (written whole: the store archives on the way in). */
  async function storedWith(notes: number) {
    let deal: Deal = { ...aDeal(), tenantId };
    for (let i = 1; i <= notes; i++) deal = withChanges(deal, ALEX, at(i), [{ kind: 'note', text: `note ${i}` }], {});
    return t.store.deals.create(deal);
  }
  /** The deal's whole history as a reader sees it: one page holding everything, oldest first. */
  async function wholeHistory(id = 'D-1042'): Promise<string[]> {
    const { deal } = (await t.store.deals.get(tenantId, id))!;
    const page = await readEntryPage(deps(), deal, 'history', 100_000);
    return page.entries.map((e) => noteOf(e.entry)).reverse();
  }
  const notes = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `note ${from + i}`);
  const chunkIds = async () => {
    const { resources } = await t.database.container('deals-v2').items
      .query({ query: "SELECT VALUE r.id FROM r WHERE r.tenantId = @t AND r.type = 'dealArchive'", parameters: [{ name: '@t', value: tenantId }] })
      .fetchAll();
    return (resources as string[]).sort();
  };

  it('a deal that outgrows its window is stored as the deal (the latest entries) and archive chunks in its own partition', async () => {
    const created = await storedWith(200); // 201 entries: 150 archived in 15 chunks of ten, the latest 51 kept
    assert.equal(ARCHIVE_CHUNK, 10);
    assert.equal(created.deal.history.length, 51);
    assert.equal(created.deal.archived.history, 150);
    assert.deepEqual(await chunkIds(), Array.from({ length: 15 }, (_, k) => archiveIdOf('D-1042', 'history', k)).sort());
    const { resource } = await t.database.container('deals-v2').item(archiveIdOf('D-1042', 'history', 2), [tenantId, 'D-1042']).read();
    assert.equal(resource.entries.length, ARCHIVE_CHUNK);
    assert.equal(noteOf(resource.entries[0]), 'note 20');
    assert.equal(resource.tenantId, tenantId, 'in the deal\'s partition');
    assert.deepEqual(await wholeHistory(), ['created', ...notes(1, 200)]);
  });

  it('no query over deals ever returns an archive document', async () => {
    await storedWith(120);
    const { store } = t;
    assert.equal(await store.deals.highestNumber(tenantId), 1042);
    assert.deepEqual((await store.deals.listByOwner(tenantId, ALEX.id)).map((d) => d.id), ['D-1042']);
    assert.deepEqual((await store.deals.listPipeline(tenantId, ALEX.id)).map((d) => d.id), ['D-1042']);
    assert.deepEqual((await store.deals.findByAccount(tenantId, 'contoso', 50)).map((d) => d.id), ['D-1042']);
    assert.deepEqual((await store.deals.findByTitle(tenantId, 'azure', 50)).map((d) => d.id), ['D-1042']);
    // The archive documents' ids contain the deal's id and "history": still only the deal.
    assert.deepEqual((await store.deals.searchSummaries(tenantId, 'd-1042', 25)).map((d) => d.id), ['D-1042']);
    assert.deepEqual(await store.deals.searchSummaries(tenantId, 'history', 25), []);
    assert.deepEqual((await store.deals.recentByOwner(tenantId, ALEX.id, 10)).map((d) => d.id), ['D-1042']);
    const sweep = '2100-01-01T00:00:00.000Z';
    assert.ok((await store.deals.findWithDueAlerts(sweep, 500)).every((d) => !d.id.includes('.')));
    assert.ok((await store.deals.findWithDueTimers(sweep, 500)).every((d) => !d.id.includes('.')));
    assert.equal(await store.deals.get(tenantId, archiveIdOf('D-1042', 'history', 0)), undefined);
  });

  it('a chunk written before a replace that loses to another writer (412) is not counted, and is rewritten as it was', async () => {
    const read = await storedWith(MOST_IN_DEAL - 1); // the deal holds 74: one more note archives chunk 0
    // Someone else changes the deal without adding history (the dispatcher taking an alert out of the outbox).
    await t.store.deals.replace({ ...read.deal, probability: 77, rev: read.deal.rev + 1 }, read.etag);
    const mine = withChanges(read.deal, ALEX, at(500), [{ kind: 'note', text: 'mine' }], {});
    await assert.rejects(t.store.deals.replace(mine, read.etag), ConcurrentUpdateError);
    // Chunk 0 landed, the deal did not count it: readers see exactly the 74 entries the deal holds.
    assert.deepEqual(await chunkIds(), [archiveIdOf('D-1042', 'history', 0)]);
    assert.equal((await t.store.deals.get(tenantId, 'D-1042'))!.deal.archived.history, 0);
    assert.deepEqual(await wholeHistory(), ['created', ...notes(1, MOST_IN_DEAL - 1)]);
    // The retry (changeDeal re-reads on the 412) writes the same chunk again (409, kept) and the deal that counts it.
    await logOnDeal(deps(), actor(), 'D-1042', 'mine');
    const { deal } = (await t.store.deals.get(tenantId, 'D-1042'))!;
    assert.equal(deal.archived.history, ARCHIVE_CHUNK);
    assert.equal(deal.probability, 77);
    assert.deepEqual(await wholeHistory(), ['created', ...notes(1, MOST_IN_DEAL - 1), 'mine']);
  });

  it('two writers archiving the same chunk at once: one wins, the other re-reads; both notes once, in order', async () => {
    const read = await storedWith(MOST_IN_DEAL - 1);
    const theirs = withChanges(read.deal, ALEX, at(600), [{ kind: 'note', text: 'theirs' }], {});
    await t.store.deals.replace(theirs, read.etag); // archives chunk 0 and commits
    const mine = withChanges(read.deal, ALEX, at(601), [{ kind: 'note', text: 'mine' }], {});
    await assert.rejects(t.store.deals.replace(mine, read.etag), ConcurrentUpdateError); // chunk 0 already there: 409, kept
    await logOnDeal(deps(), actor(), 'D-1042', 'mine');
    assert.deepEqual(await chunkIds(), [archiveIdOf('D-1042', 'history', 0)]);
    assert.deepEqual(await wholeHistory(), ['created', ...notes(1, MOST_IN_DEAL - 1), 'theirs', 'mine']);
  });

  it('the replace times out before it lands: the user is told, tries again, and the note is there once', async () => {
    await storedWith(MOST_IN_DEAL - 1);
    const replace = Item.prototype.replace;
    sinon.stub(Item.prototype, 'replace').onFirstCall().rejects(timeout()).callThrough();
    await assert.rejects(logOnDeal(deps(), actor(), 'D-1042', 'the call went well'), /timed out/);
    assert.deepEqual(await chunkIds(), [archiveIdOf('D-1042', 'history', 0)], 'the chunk landed before the replace failed');
    assert.deepEqual(await wholeHistory(), ['created', ...notes(1, MOST_IN_DEAL - 1)]);
    sinon.restore();
    assert.equal(Item.prototype.replace, replace);
    await logOnDeal(deps(), actor(), 'D-1042', 'the call went well');
    assert.deepEqual(await wholeHistory(), ['created', ...notes(1, MOST_IN_DEAL - 1), 'the call went well']);
  });

  it('the replace lands but its answer is lost: it is recognised as done (the deal as stored, archived), so nobody retries it', async () => {
    await storedWith(MOST_IN_DEAL - 1);
    const replace = Item.prototype.replace;
    let failed = 0;
    sinon.stub(Item.prototype, 'replace').callsFake(async function (this: Item, ...args: Parameters<Item['replace']>) {
      const answer = await replace.apply(this, args);
      if (failed++ === 0) throw timeout();
      return answer;
    });
    const saved = await logOnDeal(deps(), actor(), 'D-1042', 'the call went well');
    assert.equal(failed, 1);
    assert.equal(saved.archived.history, ARCHIVE_CHUNK);
    assert.deepEqual(await wholeHistory(), ['created', ...notes(1, MOST_IN_DEAL - 1), 'the call went well']);
  });

  it('a deal over 2 MB is refused by the store as DomainError DEAL.TOO_LARGE, and nothing is changed', async () => {
    const read = await storedWith(1);
    const huge = { ...read.deal, evidence: { bdm: 'x'.repeat(2_200_000) }, rev: read.deal.rev + 1 };
    await assert.rejects(t.store.deals.replace(huge, read.etag), (e: Error & { code?: string }) => e.code === 'DEAL.TOO_LARGE');
    assert.equal((await t.store.deals.get(tenantId, 'D-1042'))!.etag, read.etag);
    await assert.rejects(t.store.deals.create({ ...huge, id: 'D-1043', number: 1043 }), (e: Error & { code?: string }) => e.code === 'DEAL.TOO_LARGE');
  });
});
