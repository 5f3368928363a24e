import assert from 'node:assert/strict';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import { changePoller, type ChangePollerOptions } from '../../src/crm/dataverse/change-poller';
import { DataverseClient } from '../../src/crm/dataverse/dataverse-client';
import { importOpportunities } from '../../src/crm/dataverse/import-opportunities';
import { DEFAULT_FIELD_OWNERSHIP } from '../../src/crm/field-ownership';
import { registry } from '../../src/metrics/metrics';
import type { Deal } from '../../src/domain/deal';
import type { Store } from '../../src/ports/store.port';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { FakeDataverse } from '../support/fake-dataverse';
import { MemoryLogger } from '../support/memory-logger';

const ALEX = { aadObjectId: '00000000-0000-0000-0000-0000000a1e40', fullname: 'Alex Wilber' };
const CAROL = { aadObjectId: '00000000-0000-0000-0000-00000000ca01', fullname: 'Carol Sales' };

/**
 * Dynamics 365 → DealDesk over the wire: the real DataverseClient against the local Dataverse (OData JSON, change
 * tracking, paging, 429 with Retry-After) and the real @azure/cosmos client against the embedded store.
 */
describe('Dataverse inbound: the change poll and the import against the local Dataverse', function () {
  this.timeout(60_000);
  let t: TestStore;
  let store: Store;
  let dv: FakeDataverse;
  let client: DataverseClient;
  let n = 0;
  let tenantId: string;
  let alex: string;
  let carol: string;
  let deps: AppDeps;

  before(async () => {
    t = await startTestStore();
    store = t.store;
  });
  after(async () => t?.stop());
  beforeEach(async () => {
    n += 1;
    tenantId = `tenant-dv-${n}`;
    dv = await FakeDataverse.start();
    client = new DataverseClient({ url: dv.url, token: async () => dv.token(), timeoutMs: 5_000 });
    alex = dv.addUser(ALEX);
    carol = dv.addUser(CAROL);
    deps = { store, clock: { now: () => new Date() }, logger: new MemoryLogger(), settings: DEFAULT_SETTINGS };
    await store.people.upsert({ tenantId, id: ALEX.aadObjectId, name: ALEX.fullname, updatedAt: new Date().toISOString() });
  });
  afterEach(async () => dv?.close());

  const poller = (options: Partial<ChangePollerOptions> = {}) =>
    changePoller({ client, deps, polls: store.crmPolls!, tenantId, instanceId: 'instance-a', ownership: DEFAULT_FIELD_OWNERSHIP, pollMs: 0, pageSize: 100, ...options });
  const dealOf = async (recordId: string): Promise<Deal> => (await store.deals.findByCrmRecord(tenantId, recordId))!.deal;
  const anOpportunity = (name = 'Azure landing zone') =>
    dv.createOpportunity({ name, 'parentaccountid@odata.bind': `/accounts(${dv.addAccount('Contoso')})`, estimatedvalue: 1_500_000, 'transactioncurrencyid@odata.bind': `/transactioncurrencies(${dv.currencyId('EUR')})`, estimatedclosedate: '2027-03-31', closeprobability: 30, stepname: 'Workshop', 'ownerid@odata.bind': `/systemusers(${alex})` }, carol);

  it('a change made in Dynamics 365 appears on the deal with history and an alert delivery queued', async () => {
    const id = anOpportunity();
    await poller().pollOnce();
    const created = await dealOf(id);
    assert.deepEqual([created.title, created.account, created.value.currency, created.owner.id], ['Azure landing zone', 'Contoso', 'EUR', ALEX.aadObjectId]);
    dv.editOpportunity(id, { estimatedvalue: 2_400_000, stepname: 'Send the SOW' }, carol);
    const round = await poller().pollOnce();
    assert.equal(round.polled && round.applied, 1);
    const deal = await dealOf(id);
    assert.deepEqual([deal.value.amount, deal.nextStep], [2_400_000, 'Send the SOW']);
    assert.deepEqual(deal.history.slice(-2).map((h) => [h.by.name, h.change.kind === 'field' && h.change.field]), [['Carol Sales (CRM)', 'value'], ['Carol Sales (CRM)', 'nextStep']]);
    assert.equal(deal.outbox.length, 1, 'the alert to the owner is queued by the same write');
    assert.equal(deal.crmLink!.etag, dv.opportunity(id)!['@odata.etag'] ?? `W/"${String(dv.opportunity(id)!.versionnumber)}"`);
    const tracked = dv.requests.filter((r) => r.method === 'GET' && /\/opportunities/.test(r.path));
    assert.ok(tracked.every((r) => /odata\.track-changes/.test(r.headers.prefer ?? '')), 'every page asked with change tracking');
    assert.ok(tracked.some((r) => /\$deltatoken=/.test(r.path)), 'the second round asked for the changes since the first');
  });

  it('429 from the service protection limits: the round waits its Retry-After and goes on', async () => {
    anOpportunity();
    const waits: number[] = [];
    dv.fail({ times: 1, status: 429, retryAfterSeconds: 3, method: 'GET', path: /opportunities/ });
    const round = await poller({ sleep: async (ms) => void waits.push(ms) }).pollOnce();
    assert.deepEqual(waits, [3_000]);
    assert.equal(round.polled && round.applied, 1);
  });

  it('a missing privilege (403) ends the round and is recorded for sync and the metrics', async () => {
    anOpportunity();
    dv.revokePermission('opportunities');
    const round = await poller().pollOnce();
    assert.equal(round.polled && round.error?.status, 403);
    assert.equal((await store.crmPolls!.get(tenantId)).state.lastPoll!.error!.status, 403);
    assert.match(registry.prometheusText(), /dealdesk_crm_poll_rounds_total\{result="stopped"\} [1-9]/);
  });

  it('import: 250 open opportunities, 100 a page, killed after page 1 and run again: 250 deals, none twice', async () => {
    for (let i = 0; i < 250; i++) anOpportunity(`Opportunity ${String(i).padStart(3, '0')}`);
    const killed = new Error('killed after page 1');
    await assert.rejects(
      importOpportunities({ client, deps, polls: store.crmPolls!, tenantId, instanceId: 'import-1', ownership: DEFAULT_FIELD_OWNERSHIP, pageSize: 100, onPage: (p) => { if (p.pages === 1) throw killed; } }),
      /killed after page 1/,
    );
    assert.equal((await store.crmPolls!.get(tenantId)).state.import!.created, 100);
    const done = await importOpportunities({ client, deps, polls: store.crmPolls!, tenantId, instanceId: 'import-2', ownership: DEFAULT_FIELD_OWNERSHIP, pageSize: 100 });
    assert.deepEqual([done.state, done.pages, done.created, done.updated, done.refused], ['done', 3, 250, 0, 0]);
    const numbers = await store.deals.highestNumber(tenantId);
    assert.equal(numbers, 1250, '250 deals, D-1001 … D-1250');
    const again = await importOpportunities({ client, deps, polls: store.crmPolls!, tenantId, instanceId: 'import-3', ownership: DEFAULT_FIELD_OWNERSHIP, pageSize: 100 });
    assert.deepEqual([again.created, again.unchanged], [0, 250], 'a second run finds every opportunity linked');
    assert.equal(await store.deals.highestNumber(tenantId), 1250);
  });
});
