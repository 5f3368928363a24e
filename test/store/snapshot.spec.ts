import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newDeal } from '../../src/domain/deal-draft';
import { LocalDataError } from '../../src/local/local-data-error';
import { exportSnapshot, importSnapshot, readSnapshot } from '../../src/local/snapshot';
import type { ConversationRecord } from '../../src/ports/conversation-repository.port';
import type { Follow } from '../../src/ports/follow-repository.port';
import type { PersonRecord } from '../../src/ports/people-repository.port';
import { type AlertMessage, alertMessageId } from '../../src/domain/outgoing-message';
import { setDealField } from '../../src/domain/set-deal-field';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { CONTAINERS } from '../../src/store/containers';

const ALEX = { id: 'aad-alex', name: 'Alex Wilber' };
const NOW = '2026-03-02T09:00:00.000Z';
const deal = (tenantId: string, number: number) =>
  newDeal(
    { account: 'Fabrikam', title: `Deal ${number}`, serviceLines: 'Premier Support', value: '90000', closeDate: '2026-09-30' },
    { number, tenantId, owner: ALEX, now: NOW },
  );
// Teams ids carry ':' '@' ';' and may carry '/', none of which may appear raw in a Cosmos id.
const conversation: ConversationRecord = {
  tenantId: 'tenant-1',
  conversationId: '19:abc/def?x#y@thread.tacv2;messageid=1700000000000',
  conversationType: 'channel',
  reference: { serviceUrl: 'https://smba.trafficmanager.net/emea/', conversation: { id: '19:abc' } },
  installed: true,
  updatedAt: NOW,
};

const person: PersonRecord = { tenantId: 'tenant-1', id: 'aad-alex', name: 'Alex Wilber', alertsOff: true, updatedAt: NOW };
const follow: Follow = { tenantId: 'tenant-1', conversationId: conversation.conversationId, target: { kind: 'deal', dealId: 'D-1001' }, createdAt: NOW };
const delivery: AlertMessage = {
  id: alertMessageId('D-1001.A1', 'aad-alex'),
  tenantId: 'tenant-1',
  alert: { id: 'D-1001.A1', tenantId: 'tenant-1', dealId: 'D-1001', title: 'Deal 1001', account: 'Fabrikam', changes: [], actors: [ALEX], at: NOW },
  recipient: { kind: 'person', key: 'aad-alex', name: 'Alex Wilber', locale: 'en-US' },
  state: 'queued',
  attempts: 0,
  nextAttemptAt: NOW,
  createdAt: NOW,
  updatedAt: NOW,
};
const noItems = Object.fromEntries(CONTAINERS.map(({ id }) => [id, 0]));

describe('local snapshot (export / import)', () => {
  let dir: string;
  let source: TestStore | undefined;
  let target: TestStore | undefined;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dealdesk-snapshot-'));
  });
  afterEach(async () => {
    await source?.stop();
    await target?.stop();
    source = target = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('exports every container and imports it into a fresh server unchanged', async () => {
    source = await startTestStore();
    const created = await source.store.deals.create(deal('tenant-1', 1001));
    const updated = setDealField(created.deal, 'nextStep', 'Send proposal', ALEX, NOW);
    await source.store.deals.replace(updated, created.etag);
    await source.store.deals.create(deal('tenant-2', 1001));
    await source.store.conversations.save(conversation);
    await source.store.people.upsert(person);
    await source.store.follows.follow(follow);
    await source.store.deliveries.createIfAbsent(delivery);
    const file = path.join(dir, 'nested', 'store.json');

    const counts = { ...noItems, 'deals-v2': 2, 'conversations-v2': 1, 'people-v2': 1, 'follows-v2': 1, 'deliveries-v2': 1 };
    assert.deepEqual(await exportSnapshot(source.database, file, 7), counts);
    assert.deepEqual(await fs.readdir(path.dirname(file)), ['store.json'], 'no temporary file left behind');
    assert.doesNotMatch(await fs.readFile(file, 'utf8'), /"_(rid|self|etag)"/);
    // `_ts` (each item's last write) is kept: an item's ttl counts from it, and a restart must not start it again.
    assert.match(await fs.readFile(file, 'utf8'), /"_ts":\d+/);

    target = await startTestStore();
    const snapshot = await readSnapshot(file);
    assert.equal(snapshot?.journal, 7, 'the last journal file it holds');
    assert.deepEqual(await importSnapshot(target.database, snapshot!), counts);
    assert.deepEqual((await target.store.deals.get('tenant-1', 'D-1001'))?.deal, updated);
    assert.deepEqual((await target.store.deals.get('tenant-2', 'D-1001'))?.deal, deal('tenant-2', 1001));
    assert.deepEqual(await target.store.conversations.get('tenant-1', conversation.conversationId), conversation);
    assert.equal(await target.store.deals.highestNumber('tenant-1'), 1001);
    assert.deepEqual(await target.store.people.get('tenant-1', person.id), person);
    assert.deepEqual(await target.store.follows.listByConversation('tenant-1', conversation.conversationId), [follow]);
    assert.deepEqual((await target.store.deliveries.findClaimable(NOW, 10)).map((s) => s.delivery), [delivery]);
    // Importing twice is harmless (upserts), which matters if a start-up is retried.
    assert.deepEqual(await importSnapshot(target.database, snapshot!), counts);
    assert.equal((await target.store.deals.listByOwner('tenant-1', ALEX.id)).length, 1);
  });

  it('treats a missing file as nothing to import', async () => {
    assert.equal(await readSnapshot(path.join(dir, 'absent.json')), undefined);
  });

  for (const [name, content] of [
    ['truncated JSON', '{"version":1,"containers":{"deals":[{"id":'],
    ['JSON of the wrong shape', '{"version":1,"containers":{"deals":[{"title":"no id"}]}}'],
    ['an unknown version', '{"version":99,"containers":{}}'],
    ['a journal number that is not one', '{"version":1,"journal":"7","containers":{}}'],
  ]) {
    it(`refuses a corrupt file, naming it and how to recover, and leaves it as it is: ${name}`, async () => {
      const file = path.join(dir, 'store.json');
      await fs.writeFile(file, content);
      await assert.rejects(readSnapshot(file), (e: unknown) => {
        assert.ok(e instanceof LocalDataError);
        assert.equal(e.file, file);
        assert.match(e.message, new RegExp(`^local data file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be read \\(.+\\)\\. Nothing was changed\\. To recover: `));
        return true;
      });
      assert.deepEqual(await fs.readdir(dir), ['store.json']);
      assert.equal(await fs.readFile(file, 'utf8'), content);
    });
  }
});
