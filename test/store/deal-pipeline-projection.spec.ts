import assert from 'node:assert/strict';
import { PIPELINE_FIELDS } from '../../src/domain/pipeline';
import type { Store } from '../../src/ports/store.port';
import { ALEX, MEGAN, aDeal, aDealIn } from '../domain/deal-fixture';
import { startTestStore, type TestStore } from '../support/embedded-store';

describe('deals.listPipeline: my deals reads a projection, not whole documents', () => {
  let t: TestStore;
  let store: Store;
  before(async () => {
    t = await startTestStore();
    store = t.store;
    await store.deals.create({ ...aDeal({ title: 'Mine, open' }, { number: 1001 }), tenantId: 'tenant-a' });
    await store.deals.create({ ...aDealIn('Close', { outcome: 'Won', id: 'D-1002', number: 1002 }), tenantId: 'tenant-a' });
    await store.deals.create({ ...aDeal({ title: 'Megan’s' }, { number: 1003, owner: MEGAN }), tenantId: 'tenant-a' });
    await store.deals.create({ ...aDeal({ title: 'Other tenant' }, { number: 1004 }), tenantId: 'tenant-b' });
  });
  after(async () => t?.stop());

  it('gives the owner’s open deals in this tenant, with exactly the fields the pipeline shows', async () => {
    const rows = await store.deals.listPipeline('tenant-a', ALEX.id);
    assert.deepEqual(rows.map((r) => r.id), ['D-1001']);
    assert.deepEqual(Object.keys(rows[0]).sort(), [...PIPELINE_FIELDS].sort(), 'no history, team, evidence or system fields');
    assert.deepEqual(rows[0].value, { amount: 1_500_000, currency: 'USD' });
  });
});
