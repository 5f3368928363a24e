import assert from 'node:assert/strict';
import type { Container } from '@azure/cosmos';
import { MAX_LOGICAL_PARTITION_BYTES } from '../../src/local/partition-size-limit';
import { startTestStore, type TestStore } from '../support/embedded-store';

/** The SDK's error for a refused request: status, substatus and the service's body. */
async function failure(write: () => Promise<unknown>): Promise<{ code?: number; substatus?: number; message: string }> {
  try {
    await write();
  } catch (err) {
    return err as { code?: number; substatus?: number; message: string };
  }
  assert.fail('the store accepted it');
}

describe('the embedded store keys items by their full hierarchical partition key, as Azure Cosmos DB does', () => {
  let t: TestStore;
  let deals: Container;

  before(async () => {
    t = await startTestStore();
    deals = t.database.container('deals-v2');
  });
  after(async () => t?.stop());

  const deal = (id: string, extra: Record<string, unknown> = {}) => ({ id, tenantId: 'tenant-1', dealId: id, type: 'probe', ...extra });

  it('finds an item only under its full key: the wrong deal is a 404, the tenant prefix alone is refused', async () => {
    await deals.items.create(deal('D-1'));
    await deals.items.create(deal('D-2'));
    assert.equal((await deals.item('D-1', ['tenant-1', 'D-1']).read()).statusCode, 200);
    assert.equal((await deals.item('D-1', ['tenant-1', 'D-2']).read()).statusCode, 404, 'same tenant, another deal');
    assert.equal((await deals.item('D-1', ['tenant-2', 'D-1']).read()).statusCode, 404, 'another tenant');
    const prefix = await deals.item('D-1', ['tenant-1']).read().then((r) => r.statusCode, (e: { code?: number }) => e.code);
    assert.equal(prefix, 400, 'a point read needs every level');
    await assert.rejects(deals.item('D-1', ['tenant-1', 'D-2']).delete(), (e: { code?: number }) => e.code === 404);
  });

  it('keeps one id apart in two logical partitions (ids are unique per logical partition)', async () => {
    await deals.items.create({ id: 'shared', tenantId: 'tenant-1', dealId: 'D-1', n: 1 });
    await deals.items.create({ id: 'shared', tenantId: 'tenant-1', dealId: 'D-2', n: 2 });
    assert.equal((await deals.item('shared', ['tenant-1', 'D-1']).read()).resource.n, 1);
    assert.equal((await deals.item('shared', ['tenant-1', 'D-2']).read()).resource.n, 2);
  });

  it('refuses a write whose body is in another partition than its key header says (400), and moves nothing', async () => {
    const { resource } = await deals.items.create(deal('D-3', { title: 'three' }));
    const moved = await failure(() => deals.item('D-3', ['tenant-1', 'D-3']).replace({ ...deal('D-3'), dealId: 'D-4' }, { accessCondition: { type: 'IfMatch', condition: resource!._etag } }));
    assert.equal(moved.code, 400);
    assert.match(moved.message, /doesn't match the one specified in the header/);
    assert.equal((await deals.item('D-3', ['tenant-1', 'D-3']).read()).resource.title, 'three');
    assert.equal((await deals.item('D-3', ['tenant-1', 'D-4']).read()).statusCode, 404);
  });

  it('answers a query on the tenant prefix with every partition of the tenant, and only the tenant\'s', async () => {
    await deals.items.create({ ...deal('D-9'), tenantId: 'tenant-2' });
    const { resources } = await deals.items
      .query<{ id: string }>({ query: "SELECT c.id FROM c WHERE c.tenantId = @t AND c.type = 'probe' ORDER BY c.id", parameters: [{ name: '@t', value: 'tenant-1' }] }, { partitionKey: ['tenant-1'] })
      .fetchAll();
    assert.deepEqual(resources.map((r) => r.id), ['D-1', 'D-2', 'D-3']);
  });
});

describe('the embedded store refuses a logical partition past its size limit, as Azure refuses one past 20 GB', () => {
  let t: TestStore;
  let deals: Container;
  const filler = (n: number) => 'x'.repeat(n);

  before(async () => {
    t = await startTestStore();
    deals = t.database.container('deals-v2');
    t.partitionLimit.set(20_000);
  });
  after(async () => t?.stop());

  it('is Azure\'s 20 GB unless lowered', () => assert.equal(MAX_LOGICAL_PARTITION_BYTES, 20 * 1024 ** 3));

  it('refuses the write that would pass the limit with 403, substatus 1014, and stores nothing of it', async () => {
    for (let i = 0; i < 3; i++) await deals.items.create({ id: `D-1.history.${i}`, tenantId: 't', dealId: 'D-1', text: filler(5_000) });
    const full = await failure(() => deals.items.create({ id: 'D-1.history.3', tenantId: 't', dealId: 'D-1', text: filler(6_000) }));
    assert.equal(full.code, 403);
    assert.equal(full.substatus, 1014);
    assert.match(full.message, /Partition key reached maximum size of 20 GB/);
    assert.equal((await deals.item('D-1.history.3', ['t', 'D-1']).read()).statusCode, 404);
    const upsert = await failure(() => deals.items.upsert({ id: 'D-1.history.0', tenantId: 't', dealId: 'D-1', text: filler(12_000) }));
    assert.equal(upsert.substatus, 1014, 'a replace counts what it adds');
  });

  it('counts each logical partition on its own: the next deal of the same tenant is not full', async () => {
    await deals.items.create({ id: 'D-2.history.0', tenantId: 't', dealId: 'D-2', text: filler(15_000) });
  });

  it('lets a full partition shrink: a smaller replace and a delete go through, and free the space', async () => {
    await deals.item('D-1.history.2', ['t', 'D-1']).replace({ id: 'D-1.history.2', tenantId: 't', dealId: 'D-1', text: filler(10) });
    await deals.item('D-1.history.1', ['t', 'D-1']).delete();
    await deals.items.create({ id: 'D-1.history.3', tenantId: 't', dealId: 'D-1', text: filler(9_000) });
  });
});
