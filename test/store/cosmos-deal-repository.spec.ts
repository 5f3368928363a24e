import assert from 'node:assert/strict';
import { markAlertDispatched, recordAlert } from '../../src/domain/alert-outbox';
import { type Deal, DEAL_DEFAULTS, withChanges } from '../../src/domain/deal';
import { newDeal } from '../../src/domain/deal-draft';
import type { Person } from '../../src/domain/person';
import { setDealField } from '../../src/domain/set-deal-field';
import { ConcurrentUpdateError, type DealRepository, DuplicateIdError } from '../../src/ports/deal-repository.port';
import { withPartitionFields } from '../../src/store/partition-keys';
import { startTestStore, type TestStore } from '../support/embedded-store';

const ALEX: Person = { id: 'aad-alex', name: 'Alex Wilber' };
const MEGAN: Person = { id: 'aad-megan', name: 'Megan Bowen' };
const NOW = '2026-03-02T09:00:00.000Z';

/** A real domain deal, built through the same validation the bot uses. */
function dealFixture(tenantId: string, number: number, title: string, owner: Person = ALEX): Deal {
  return newDeal(
    { account: 'Contoso', title, serviceLines: 'Consulting', value: '250000', closeDate: '2026-06-30', nextStep: 'Workshop' },
    { number, tenantId, owner, now: NOW },
  );
}

function closedLost(deal: Deal): Deal {
  const change = { kind: 'stage', from: deal.stage, to: 'Close', outcome: 'Lost' } as const;
  return withChanges(deal, deal.owner, NOW, [change], { stage: 'Close', outcome: 'Lost', closeReason: 'No budget' });
}

const ids = (deals: Deal[]) => deals.map((d) => d.id);

const COALESCE_MS = 60_000;
/** The deal after a value change at `at`: its outbox holds one alert due at `at` + 60 s. */
function withPendingAlert(deal: Deal, at: string): Deal {
  return recordAlert(deal, setDealField(deal, 'value', '900000', ALEX, at), ALEX, at, COALESCE_MS);
}
const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe('CosmosDealRepository (embedded Cosmos server)', () => {
  let t: TestStore;
  let deals: DealRepository;
  // Each test gets its own tenants, so tests stay independent in one shared database.
  let n = 0;
  let tenantA: string;
  let tenantB: string;

  before(async () => {
    t = await startTestStore();
    deals = t.store.deals;
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantA = `tenant-a-${n}`;
    tenantB = `tenant-b-${n}`;
  });

  it('round-trips a created deal as the same domain object, without Cosmos fields', async () => {
    const deal = dealFixture(tenantA, 1001, 'Cloud migration');
    const created = await deals.create(deal);
    assert.deepEqual(created.deal, deal);
    assert.ok(created.etag);
    const read = await deals.get(tenantA, deal.id);
    assert.deepEqual(read, created);
    for (const key of ['_rid', '_self', '_etag', '_attachments', '_ts', 'type']) assert.ok(!(key in read!.deal), key);
  });

  it('returns undefined for an unknown id and for another tenant', async () => {
    await deals.create(dealFixture(tenantA, 1001, 'Cloud migration'));
    assert.equal(await deals.get(tenantA, 'D-9999'), undefined);
    assert.equal(await deals.get(tenantB, 'D-1001'), undefined);
  });

  it('keeps the same id apart in two tenants and rejects a duplicate in one', async () => {
    await deals.create(dealFixture(tenantA, 1001, 'A deal'));
    await deals.create(dealFixture(tenantB, 1001, 'B deal'));
    await assert.rejects(deals.create(dealFixture(tenantA, 1001, 'Again')), DuplicateIdError);
    assert.equal((await deals.get(tenantB, 'D-1001'))?.deal.title, 'B deal');
  });

  it('replaces with the current etag (new etag) and refuses a stale one', async () => {
    const first = await deals.create(dealFixture(tenantA, 1001, 'Cloud migration'));
    const changed = setDealField(first.deal, 'nextStep', 'Call the CFO', ALEX, NOW);
    const second = await deals.replace(changed, first.etag);
    assert.notEqual(second.etag, first.etag);
    assert.deepEqual(second.deal, changed);
    await assert.rejects(deals.replace(setDealField(changed, 'probability', '40', ALEX, NOW), first.etag), ConcurrentUpdateError);
    assert.deepEqual((await deals.get(tenantA, 'D-1001'))?.deal, changed);
  });

  it('lets exactly one of ten racing writers win from the same etag', async () => {
    const { deal, etag } = await deals.create(dealFixture(tenantA, 1001, 'Cloud migration'));
    const writers = Array.from({ length: 10 }, (_, i) => deals.replace(setDealField(deal, 'nextStep', `Writer ${i}`, ALEX, NOW), etag));
    const results = await Promise.allSettled(writers);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 9);
    for (const r of lost) assert.ok(r.reason instanceof ConcurrentUpdateError, String(r.reason));
    const stored = await deals.get(tenantA, deal.id);
    assert.deepEqual(stored, (won[0] as PromiseFulfilledResult<typeof stored>).value);
  });

  it('keeps appended history through the round trip', async () => {
    const first = await deals.create(dealFixture(tenantA, 1001, 'Cloud migration'));
    const changed = setDealField(setDealField(first.deal, 'nextStep', 'Call the CFO', ALEX, NOW), 'bdm', 'Jane Doe (CIO)', MEGAN, NOW);
    await deals.replace(changed, first.etag);
    const read = await deals.get(tenantA, 'D-1001');
    assert.equal(read?.deal.history.length, 3);
    assert.deepEqual(read?.deal.history, changed.history);
    assert.equal(read?.deal.rev, 3);
  });

  it('lists an owner’s deals, open only or all, never other owners or tenants', async () => {
    const open = await deals.create(dealFixture(tenantA, 1001, 'Open one'));
    const toClose = await deals.create(dealFixture(tenantA, 1002, 'Closed one'));
    await deals.replace(closedLost(toClose.deal), toClose.etag);
    await deals.create(dealFixture(tenantA, 1003, 'Megan owns this', MEGAN));
    await deals.create(dealFixture(tenantB, 1004, 'Alex in another tenant'));
    assert.deepEqual(ids(await deals.listByOwner(tenantA, ALEX.id)), ['D-1001', 'D-1002']);
    assert.deepEqual(await deals.listByOwner(tenantA, ALEX.id, { openOnly: true }), [open.deal]);
    assert.deepEqual(ids(await deals.listByOwner(tenantB, ALEX.id)), ['D-1004']);
    assert.deepEqual(await deals.listByOwner(tenantA, 'nobody'), []);
  });

  it('finds deals by a case-insensitive title fragment, up to the limit, in one tenant', async () => {
    await deals.create(dealFixture(tenantA, 1001, 'Azure Cloud Migration'));
    await deals.create(dealFixture(tenantA, 1002, 'cloud adoption framework'));
    await deals.create(dealFixture(tenantA, 1003, 'Premier renewal'));
    await deals.create(dealFixture(tenantA, 1004, 'Hybrid CLOUD'));
    await deals.create(dealFixture(tenantB, 1005, 'Cloud in another tenant'));
    assert.deepEqual(ids(await deals.findByTitle(tenantA, 'CLOUD', 10)), ['D-1001', 'D-1002', 'D-1004']);
    assert.deepEqual(ids(await deals.findByTitle(tenantA, ' Cloud ', 2)), ['D-1001', 'D-1002']);
    assert.deepEqual(ids(await deals.findByTitle(tenantA, 'renew', 10)), ['D-1003']);
    assert.deepEqual(await deals.findByTitle(tenantA, 'cloud', 0), []);
    assert.deepEqual(ids(await deals.findByTitle(tenantB, 'cloud', 10)), ['D-1005']);
  });

  it('with an audience (DEAL_VISIBILITY=team), finds only the deals naming the person or owned by someone they manage', async () => {
    const APPROVER: Person = { id: 'aad-isaiah', name: 'Isaiah Langer' };
    const pending = { round: 1, status: 'pending', requestedBy: ALEX, note: '', requestedAt: NOW, reasons: [], levels: [{ id: 'L1', name: 'Manager', mode: 'any', approvers: [APPROVER], escalateTo: [], status: 'active', decisions: [] }] } as const;
    await deals.create(dealFixture(tenantA, 1001, 'Cloud one')); // Alex's
    await deals.create({ ...dealFixture(tenantA, 1002, 'Cloud two', MEGAN), team: [{ person: ALEX, role: 'Architect' }] }); // Megan's, Alex on the team
    await deals.create({ ...dealFixture(tenantA, 1003, 'Cloud three', MEGAN), approval: structuredClone(pending) as never }); // Megan's, Isaiah approves
    await deals.create(dealFixture(tenantA, 1004, 'Cloud four', MEGAN)); // Megan's alone
    // A document written before `peopleIds` existed still matches its owner and team.
    const old: Record<string, unknown> = { ...dealFixture(tenantA, 1005, 'Cloud five', MEGAN), team: [{ person: ALEX, role: 'Architect' }], type: 'deal' };
    await t.database.container('deals-v2').items.create(withPartitionFields('deals-v2', old)); // as migrated
    const alex = { personId: ALEX.id, ownerIds: [] };
    assert.deepEqual(ids(await deals.findByTitle(tenantA, 'cloud', 10, alex)), ['D-1001', 'D-1002', 'D-1005']);
    assert.deepEqual(ids(await deals.findByTitle(tenantA, 'cloud', 10, { personId: APPROVER.id, ownerIds: [] })), ['D-1003']);
    assert.deepEqual(ids(await deals.findByTitle(tenantA, 'cloud', 10, { personId: 'aad-boss', ownerIds: [MEGAN.id] })), ['D-1002', 'D-1003', 'D-1004', 'D-1005']);
    assert.deepEqual(ids(await deals.findByAccount(tenantA, 'contoso', 10, { personId: 'aad-patti', ownerIds: [] })), []);
    assert.deepEqual(ids(await deals.findByAccount(tenantA, 'contoso', 10)), ['D-1001', 'D-1002', 'D-1003', 'D-1004', 'D-1005']);
    assert.deepEqual((await deals.searchSummaries(tenantA, 'cloud', 10, { personId: APPROVER.id, ownerIds: [] })).map((d) => d.id), ['D-1003']);
    // `peopleIds` is the store's: reads give the domain deal without it.
    assert.equal('peopleIds' in (await deals.get(tenantA, 'D-1003'))!.deal, false);
    const { resource } = await t.database.container('deals-v2').item('D-1003', [tenantA, 'D-1003']).read();
    assert.deepEqual(resource.peopleIds, [MEGAN.id, APPROVER.id]);
  });

  it('reads a deal stored before team, mutedBy, outbox, alertSeq, alertLog and appliedEvents with their defaults', async () => {
    const complete = dealFixture(tenantA, 1001, 'Written long ago');
    const legacy: Record<string, unknown> = { ...complete, type: 'deal' };
    for (const key of Object.keys(DEAL_DEFAULTS)) delete legacy[key];
    await t.database.container('deals-v2').items.create(withPartitionFields('deals-v2', legacy)); // as migrated
    const read = await deals.get(tenantA, complete.id);
    assert.deepEqual(read?.deal, { ...complete, ...DEAL_DEFAULTS });
    // Each read gets its own arrays: a default is never shared between deals.
    const again = await deals.get(tenantA, complete.id);
    assert.notEqual(read?.deal.team, again?.deal.team);
    // Listing queries go through the same mapping.
    assert.deepEqual((await deals.listByOwner(tenantA, ALEX.id))[0].outbox, []);
    assert.equal((await deals.findByTitle(tenantA, 'long ago', 5))[0].alertSeq, 0);
  });

  it('keeps stored values of the newer fields as they are', async () => {
    const deal = { ...dealFixture(tenantA, 1001, 'Newer'), mutedBy: ['aad-megan'], alertSeq: 4, appliedEvents: ['crm-1'] };
    await deals.create(deal);
    assert.deepEqual((await deals.get(tenantA, deal.id))?.deal, deal);
  });

  it('finds deals with a due alert across tenants, earliest first, up to the limit', async () => {
    const t0 = '2026-03-02T10:00:00.000Z';
    const now = plusMs(t0, 10 * 60_000);
    // Due: alerts recorded at t0 (due t0+1m), t0+2m (due t0+3m), in two tenants.
    const dueA = await deals.create(withPendingAlert(dealFixture(tenantA, 1001, 'Due in A'), plusMs(t0, 2 * 60_000)));
    const dueB = await deals.create(withPendingAlert(dealFixture(tenantB, 1001, 'Due in B'), t0));
    // Exactly at now: due (<=).
    const dueEdge = await deals.create(withPendingAlert(dealFixture(tenantB, 1002, 'Due right now'), plusMs(now, -COALESCE_MS)));
    // Not yet due, nothing pending, and an outbox emptied again (outboxDueAt back to undefined).
    await deals.create(withPendingAlert(dealFixture(tenantA, 1002, 'Later'), now));
    await deals.create(dealFixture(tenantA, 1003, 'Quiet'));
    const dispatched = withPendingAlert(dealFixture(tenantB, 1003, 'Dispatched'), t0);
    const emptied = markAlertDispatched(dispatched, dispatched.outbox[0].id, 2, plusMs(t0, 90_000));
    assert.equal(emptied.outboxDueAt, undefined);
    await deals.create(emptied);
    const { resource: raw } = await t.database.container('deals-v2').item(emptied.id, [tenantB, emptied.id]).read();
    assert.ok(!('outboxDueAt' in raw), 'an undefined outboxDueAt is not stored at all');

    const found = await deals.findWithDueAlerts(now, 10);
    const mine = found.filter((d) => [tenantA, tenantB].includes(d.tenantId));
    assert.deepEqual(mine, [
      { tenantId: tenantB, id: dueB.deal.id },
      { tenantId: tenantA, id: dueA.deal.id },
      { tenantId: tenantB, id: dueEdge.deal.id },
    ]);
    assert.deepEqual(await deals.findWithDueAlerts(now, 0), []);
    assert.equal((await deals.findWithDueAlerts(now, 1)).length, 1);
    assert.deepEqual(await deals.findWithDueAlerts('2026-03-02T10:00:30.000Z', 10), []);
  });

  it('reports the highest number per tenant, undefined when the tenant has none', async () => {
    assert.equal(await deals.highestNumber(tenantA), undefined);
    await deals.create(dealFixture(tenantA, 1002, 'Two'));
    await deals.create(dealFixture(tenantA, 1001, 'One'));
    await deals.create(dealFixture(tenantB, 1007, 'Other tenant'));
    assert.equal(await deals.highestNumber(tenantA), 1002);
    assert.equal(await deals.highestNumber(tenantB), 1007);
  });
});
