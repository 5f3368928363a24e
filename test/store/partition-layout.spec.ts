import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newDeal } from '../../src/domain/deal-draft';
import { newJob } from '../../src/domain/job';
import { openLocalStore } from '../../src/local/local-store';
import { cardMessage, cardPostId, type NoticeMessage } from '../../src/domain/outgoing-message';
import { systemClock } from '../../src/ports/clock.port';
import type { Store } from '../../src/ports/store.port';
import type { ContainerId } from '../../src/store/containers';
import { conversationDocumentId } from '../../src/store/cosmos-conversation-repository';
import { partitionKeyOf } from '../../src/store/partition-keys';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

const TENANT = 'tenant-layout';
const NOW = '2026-03-02T09:00:00.000Z';
const ALEX = { id: 'aad-alex', name: 'Alex Wilber' };
const MEGAN = { id: 'aad-megan', name: 'Megan Bowen' };
const SALES = '19:sales@thread.tacv2';
const SUPPORT = '19:support@thread.tacv2';

const dealOf = (number: number) =>
  newDeal(
    { account: 'Contoso', title: `Deal ${number}`, serviceLines: 'Consulting', value: '250000', closeDate: '2026-06-30', nextStep: 'Workshop' },
    { number, tenantId: TENANT, owner: ALEX, now: NOW },
  );

const post = (dealId: string): NoticeMessage => ({
  id: cardPostId(dealId),
  tenantId: TENANT,
  recipient: { kind: 'channel', key: SALES, name: 'Sales', locale: 'en-US' },
  payload: { type: 'notice', dealId, notice: { id: 'R1.0.0', kind: 'approvalCard' } as never },
  operation: 'post',
  state: 'queued',
  attempts: 0,
  nextAttemptAt: NOW,
  createdAt: NOW,
  updatedAt: NOW,
});

/** What DealDesk writes for two deals, two people and two conversations, through the store. */
async function writeEverything(store: Store): Promise<void> {
  await store.deals.create(dealOf(1001));
  await store.deals.create(dealOf(1002));
  for (const person of [ALEX, MEGAN]) await store.people.upsert({ tenantId: TENANT, ...person, updatedAt: NOW });
  await store.people.setMuteChoice(TENANT, MEGAN.id, 'D-1001', true, NOW);
  for (const conversationId of [SALES, SUPPORT]) {
    await store.conversations.save({ tenantId: TENANT, conversationId, conversationType: 'channel', reference: {}, installed: true, updatedAt: NOW });
    await store.conversations.claimGreeting(TENANT, conversationId);
  }
  await store.follows.follow({ tenantId: TENANT, conversationId: SALES, target: { kind: 'deal', dealId: 'D-1001' }, createdAt: NOW });
  await store.deliveries.createIfAbsent(post('D-1001'));
  await store.deliveries.createIfAbsent(cardMessage(TENANT, `digest|${ALEX.id}|2026-W10`, { kind: 'person', key: ALEX.id, name: ALEX.name, locale: 'en-US' }, { type: 'card', card: {} }, NOW));
  await store.jobs.createIfAbsent(newJob(TENANT, 'digest', ALEX.id, NOW, NOW));
}

/** Everything written above, read back through the store (point reads name each item's full key). */
async function readEverything(store: Store): Promise<unknown[]> {
  return [
    (await store.deals.get(TENANT, 'D-1001'))?.deal.title,
    (await store.deals.get(TENANT, 'D-1002'))?.deal.title,
    (await store.people.get(TENANT, MEGAN.id))?.name,
    [...(await store.people.muteChoices(TENANT, 'D-1001', [MEGAN.id, ALEX.id]))],
    (await store.conversations.get(TENANT, SUPPORT))?.conversationId,
    await store.conversations.claimGreeting(TENANT, SALES),
    (await store.follows.listByConversation(TENANT, SALES)).map((f) => f.target),
    (await store.deliveries.get(TENANT, 'D-1001', cardPostId('D-1001')))?.delivery.state,
    (await store.deliveries.get(TENANT, undefined, `digest|${ALEX.id}|2026-W10`))?.delivery.state,
    (await store.jobs.get(TENANT, `digest|${ALEX.id}`))?.job.personId,
  ];
}
const EVERYTHING = ['Deal 1001', 'Deal 1002', 'Megan Bowen', [[MEGAN.id, true]], SUPPORT, false, [{ kind: 'deal', dealId: 'D-1001' }], 'queued', 'queued', ALEX.id];

describe('partition layout: what grows with use spreads over many logical partitions (issue 16)', () => {
  let t: TestStore;
  before(async () => {
    t = await startTestStore();
    await writeEverything(t.store);
  });
  after(async () => t?.stop());

  /** The logical partitions the server holds `ids` in: the key read back from each stored item. */
  async function partitionsOf(container: ContainerId, ids: string[]): Promise<string[]> {
    const { resources } = await t.database.container(container).items
      .query({ query: 'SELECT * FROM c WHERE c.tenantId = @t AND ARRAY_CONTAINS(@ids, c.id)', parameters: [{ name: '@t', value: TENANT }, { name: '@ids', value: ids }] })
      .fetchAll();
    assert.equal(resources.length, ids.length, `${container}: all found`);
    return resources.map((doc) => JSON.stringify(partitionKeyOf(container, doc)));
  }

  it('puts two deals, two people and two conversations of one tenant in two logical partitions each', async () => {
    assert.equal(new Set(await partitionsOf('deals-v2', ['D-1001', 'D-1002'])).size, 2);
    assert.equal(new Set(await partitionsOf('people-v2', [ALEX.id, MEGAN.id])).size, 2);
    assert.equal(new Set(await partitionsOf('conversations-v2', [conversationDocumentId(SALES), conversationDocumentId(SUPPORT)])).size, 2);
  });

  it('keeps what belongs together in one: a conversation and its greeting, a person and their mutes, a deal and its deliveries', async () => {
    assert.equal(new Set(await partitionsOf('conversations-v2', [conversationDocumentId(SALES), `greeting.${conversationDocumentId(SALES)}`])).size, 1);
    const mute = (await t.database.container('people-v2').items.query("SELECT c.id FROM c WHERE c.type = 'mute'").fetchAll()).resources[0]!.id as string;
    assert.equal(new Set(await partitionsOf('people-v2', [MEGAN.id, mute])).size, 1);
    assert.deepEqual(await partitionsOf('deliveries-v2', [cardPostId('D-1001')]), [JSON.stringify([TENANT, 'D-1001'])]);
    assert.deepEqual(await partitionsOf('deliveries-v2', [`digest|${ALEX.id}|2026-W10`]), [JSON.stringify([TENANT, `digest|${ALEX.id}|2026-W10`])], 'a digest is a partition of its own');
  });

  it('finds nothing under the wrong second level: a point read names the full key', async () => {
    const read = async (container: ContainerId, id: string, key: string[]) => (await t.database.container(container).item(id, key).read()).statusCode;
    assert.equal(await read('deals-v2', 'D-1001', [TENANT, 'D-1001']), 200);
    assert.equal(await read('deals-v2', 'D-1001', [TENANT, 'D-1002']), 404);
    assert.equal(await read('people-v2', MEGAN.id, [TENANT, ALEX.id]), 404);
    assert.equal(await read('conversations-v2', conversationDocumentId(SALES), [TENANT, SUPPORT]), 404);
    assert.equal(await t.store.deliveries.get(TENANT, 'D-1002', cardPostId('D-1001')), undefined, 'a delivery asked for under another deal');
    assert.deepEqual(await readEverything(t.store), EVERYTHING);
  });
});

describe('partition layout in local mode: a restart keeps everything (snapshot and journal)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dealdesk-layout-'));
    dirs.push(dir);
    return dir;
  };
  const open = (dataDir: string) => openLocalStore({ dataDir, databaseId: 'dealdesk', logger: new MemoryLogger(), clock: systemClock });
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('after a crash (the journal replayed) and after a clean stop (the snapshot), every item is where its key says', async () => {
    const dir = fresh();
    const first = await open(dir);
    try {
      await writeEverything(first);
      await first.people.setMuteChoice(TENANT, MEGAN.id, 'D-1002', true, NOW);
      await first.people.setMuteChoice(TENANT, MEGAN.id, 'D-1002', undefined, NOW); // a delete, journaled with its full key
      // A crash now: the data directory as it is while DealDesk still runs (without its lock).
      const crashed = fresh();
      cpSync(dir, crashed, { recursive: true, filter: (src) => !src.endsWith('dealdesk.pid') });
      const afterCrash = await open(crashed);
      try {
        assert.deepEqual(await readEverything(afterCrash), EVERYTHING);
        assert.deepEqual([...(await afterCrash.people.muteChoices(TENANT, 'D-1002', [MEGAN.id]))], []);
      } finally {
        await afterCrash.close();
      }
    } finally {
      await first.close();
    }
    const second = await open(dir);
    try {
      assert.deepEqual(await readEverything(second), EVERYTHING);
      assert.equal(second.loaded.deals, 2);
    } finally {
      await second.close();
    }
  });
});
