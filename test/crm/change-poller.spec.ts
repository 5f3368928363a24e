import assert from 'node:assert/strict';
import { changeDeal } from '../../src/app/change-deal';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import { changePoller, type ChangePollerOptions } from '../../src/crm/dataverse/change-poller';
import { DEFAULT_FIELD_OWNERSHIP, parseFieldOwnership } from '../../src/crm/field-ownership';
import type { Deal } from '../../src/domain/deal';
import { setDealField } from '../../src/domain/set-deal-field';
import type { Store } from '../../src/ports/store.port';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';
import { ScriptedDataverse } from './scripted-dataverse';

const ALEX = { aadObjectId: '00000000-0000-0000-0000-0000000a1e40', fullname: 'Alex Wilber' };
const CAROL = { aadObjectId: '00000000-0000-0000-0000-00000000ca01', fullname: 'Carol Sales' };

describe('Dataverse change poll: changes made in Dynamics 365 reach their deals (embedded Cosmos store)', function () {
  this.timeout(20_000);
  let t: TestStore;
  let store: Store;
  let n = 0;
  let tenantId: string;
  let dv: ScriptedDataverse;
  let alex: string;
  let carol: string;
  let deps: AppDeps;
  let nowMs: number;
  let logger: MemoryLogger;

  before(async () => {
    t = await startTestStore();
    store = t.store;
  });
  after(async () => t?.stop());
  beforeEach(async () => {
    n += 1;
    tenantId = `tenant-poll-${n}`;
    dv = new ScriptedDataverse();
    alex = dv.addUser(ALEX);
    carol = dv.addUser(CAROL);
    nowMs = Date.parse('2026-11-26T09:00:00Z');
    logger = new MemoryLogger();
    deps = { store, clock: { now: () => new Date(nowMs) }, logger, settings: DEFAULT_SETTINGS };
    await store.people.upsert({ tenantId, id: ALEX.aadObjectId, name: ALEX.fullname, updatedAt: new Date(nowMs).toISOString() });
  });

  const poller = (options: Partial<ChangePollerOptions> = {}) =>
    changePoller({ client: dv, deps, polls: store.crmPolls!, tenantId, instanceId: 'instance-a', ownership: DEFAULT_FIELD_OWNERSHIP, pollMs: 60_000, pageSize: 100, ...options });
  const dealOf = async (recordId: string): Promise<Deal> => (await store.deals.findByCrmRecord(tenantId, recordId))!.deal;
  const anOpportunity = (overrides: Record<string, unknown> = {}) =>
    dv.createOpportunity({ name: 'Azure landing zone', account: 'Contoso', estimatedvalue: 1_500_000, currency: 'USD', estimatedclosedate: '2027-03-31', closeprobability: 30, stepname: 'Workshop', salesstage: 0, ownerUserId: alex, ...overrides }, carol);

  it('an open opportunity of a person DealDesk knows becomes a deal, linked to its record by the create', async () => {
    const id = anOpportunity();
    const round = await poller().pollOnce();
    assert.deepEqual([round.polled, round.polled && round.applied], [true, 1]);
    const deal = await dealOf(id);
    assert.equal(deal.title, 'Azure landing zone');
    assert.equal(deal.account, 'Contoso');
    assert.deepEqual(deal.value, { amount: 1_500_000, currency: 'USD' });
    assert.equal(deal.owner.id, ALEX.aadObjectId);
    assert.deepEqual(deal.crmLink, { recordId: id, etag: `W/"${String(dv.opportunity(id)!.versionnumber)}"` });
    assert.equal(deal.history[0].by.name, 'Carol Sales (CRM)');
  });

  it('an opportunity of someone DealDesk does not know brings no deal in', async () => {
    const stranger = dv.addUser({ aadObjectId: '00000000-0000-0000-0000-0000000000ff', fullname: 'Sam Stranger' });
    anOpportunity({ ownerUserId: stranger });
    const round = await poller().pollOnce();
    assert.deepEqual(round.polled && [round.applied, round.skipped], [0, 1]);
    assert.equal(await store.deals.highestNumber(tenantId), undefined);
  });

  it('a change made in the CRM lands on the deal with history by the CRM user and an alert queued for the owner', async () => {
    const id = anOpportunity();
    const p = poller();
    await p.pollOnce();
    nowMs += 60_000;
    dv.now = () => new Date(nowMs);
    dv.editOpportunity(id, { estimatedvalue: 2_000_000, estimatedclosedate: '2027-06-30' }, carol);
    const round = await p.pollOnce();
    assert.equal(round.polled && round.applied, 1);
    const deal = await dealOf(id);
    assert.equal(deal.value.amount, 2_000_000);
    assert.equal(deal.closeDate, '2027-06-30');
    const changes = deal.history.slice(1).map((h) => [h.by.name, h.change.kind === 'field' ? `${h.change.field}: ${h.change.from} → ${h.change.to}` : h.change.kind]);
    assert.deepEqual(changes, [
      ['Carol Sales (CRM)', 'value: 1500000 → 2000000'],
      ['Carol Sales (CRM)', 'closeDate: 2027-03-31 → 2027-06-30'],
    ]);
    assert.equal(deal.outbox.length, 1, 'the alert is queued in the same write');
    assert.equal(deal.crmLink!.etag, `W/"${String(dv.opportunity(id)!.versionnumber)}"`, 'the link moves to the version applied');
    assert.ok(deal.appliedEvents.includes(`dataverse:${id}:${String(dv.opportunity(id)!.versionnumber)}`));
  });

  it('DealDesk\'s own write coming back through change tracking changes nothing: no history, no write', async () => {
    const id = anOpportunity();
    const p = poller();
    await p.pollOnce();
    const before = await store.deals.findByCrmRecord(tenantId, id);
    // The target wrote DealDesk's value (as the app user); the record comes back with the values the deal has.
    dv.editOpportunity(id, { estimatedvalue: 1_500_000 }, carol);
    const round = await p.pollOnce();
    assert.deepEqual(round.polled && [round.applied, round.skipped], [0, 1]);
    const after = await store.deals.findByCrmRecord(tenantId, id);
    assert.equal(after!.etag, before!.etag, 'the deal was not written');
  });

  it('a version older than the one DealDesk wrote since the page was read (three instances: one sends while another polls) changes nothing: no conflict, no write', async () => {
    const id = anOpportunity();
    await poller().pollOnce();
    const owner = { id: ALEX.aadObjectId, name: ALEX.fullname };
    const app = dv.addUser({ aadObjectId: '00000000-0000-0000-0000-0000000000a9', fullname: 'DealDesk (application user)' });
    /** DealDesk's owner sets the probability, and its send writes it to the record and keeps the version it wrote (as the dispatcher does). */
    let sentAs = '';
    const changeAndSend = async (probability: number, at: string) => {
      nowMs = Date.parse(at);
      const deal = await dealOf(id);
      await changeDeal(deps, { tenantId, user: owner }, deal.id, (d, when) => setDealField(d, 'probability', String(probability), owner, when));
      dv.now = () => new Date(nowMs + 1000);
      dv.editOpportunity(id, { closeprobability: probability }, app);
      const stored = (await store.deals.findByCrmRecord(tenantId, id))!;
      sentAs = (await store.deals.replace({ ...stored.deal, crmLink: { recordId: id, etag: `W/"${String(dv.opportunity(id)!.versionnumber)}"` } }, stored.etag)).etag;
    };
    await changeAndSend(70, '2026-11-26T10:00:00Z');
    // The next poll reads the record at that version (70); before it gets to it, DealDesk changes and sends again (80).
    let sendMeanwhile: (() => Promise<void>) | undefined = () => changeAndSend(80, '2026-11-26T10:05:00Z');
    const client = {
      request: (async (method: string, path: string, request?: object) => {
        const answer = await dv.request(method, path, request);
        const hook = /deltatoken/.test(path) ? sendMeanwhile : undefined;
        sendMeanwhile = undefined;
        await hook?.();
        return answer;
      }) as ScriptedDataverse['request'],
    };
    const round = await poller({ client }).pollOnce();
    assert.equal(sendMeanwhile, undefined, 'DealDesk sent meanwhile');
    assert.deepEqual(round.polled && [round.applied, round.skipped], [0, 1]);
    const after = (await store.deals.findByCrmRecord(tenantId, id))!;
    assert.equal(after.etag, sentAs, 'the deal was not written by the poll');
    assert.equal(after.deal.probability, 80);
    assert.deepEqual(after.deal.history.filter((h) => h.change.kind === 'conflict'), [], 'no conflict: the CRM changed nothing');
  });

  it('DealDesk\'s own write read before its send was recorded, while a later change waits to go out: the deal keeps its later value, no conflict', async () => {
    const id = anOpportunity();
    await poller().pollOnce();
    deps = { ...deps, settings: { ...DEFAULT_SETTINGS, crmSync: true } };
    const owner = { id: ALEX.aadObjectId, name: ALEX.fullname };
    const set = async (probability: number, at: string) => {
      nowMs = Date.parse(at);
      await changeDeal(deps, { tenantId, user: owner }, (await dealOf(id)).id, (d, when) => setDealField(d, 'probability', String(probability), owner, when));
    };
    await set(70, '2026-11-26T10:00:00Z');
    await set(80, '2026-11-26T10:01:00Z');
    assert.deepEqual((await dealOf(id)).crmOutbox.map((e) => e.deal.probability), [70, 80], 'two events wait to go out');
    // The dispatcher's send of the first event writes it (as the app user, after both changes); the poll reads that
    // version before the send's outcome is recorded on the deal.
    const app = dv.addUser({ aadObjectId: '00000000-0000-0000-0000-0000000000a9', fullname: 'DealDesk (application user)' });
    dv.now = () => new Date('2026-11-26T10:02:00Z');
    dv.editOpportunity(id, { closeprobability: 70 }, app);
    const before = (await store.deals.findByCrmRecord(tenantId, id))!;
    const round = await poller().pollOnce();
    assert.deepEqual(round.polled && [round.applied, round.skipped], [0, 1]);
    const after = (await store.deals.findByCrmRecord(tenantId, id))!;
    assert.equal(after.etag, before.etag, 'the deal was not written by the poll');
    assert.equal(after.deal.probability, 80, "not put back to the value DealDesk's own first event carried");
    assert.deepEqual(after.deal.history.filter((h) => h.change.kind === 'conflict'), []);

    // A CRM user's value that no event carries is still the CRM's change (lww: later than DealDesk's).
    dv.now = () => new Date('2026-11-26T10:03:00Z');
    dv.editOpportunity(id, { closeprobability: 90 }, carol);
    await poller().pollOnce();
    assert.equal((await dealOf(id)).probability, 90);
  });

  /**
   * The CRM changes the probability to 40 at 10:00, DealDesk's owner to 70 at 10:05, and the poll sees the CRM's
   * change after both; returns the poller.
   */
  async function bothChangeProbability(id: string) {
    const p = poller();
    await p.pollOnce();
    const deal = await dealOf(id);
    dv.now = () => new Date('2026-11-26T10:00:00Z');
    dv.editOpportunity(id, { closeprobability: 40 }, carol);
    nowMs = Date.parse('2026-11-26T10:05:00Z');
    const owner = { id: ALEX.aadObjectId, name: ALEX.fullname };
    await changeDeal(deps, { tenantId, user: owner }, deal.id, (d, at) => setDealField(d, 'probability', '70', owner, at));
    await p.pollOnce();
    return p;
  }

  it('last writer wins: DealDesk\'s later value stays; a later CRM value replaces it, history showing both values', async () => {
    const id = anOpportunity();
    const p = await bothChangeProbability(id);
    assert.equal((await dealOf(id)).probability, 70, 'DealDesk changed it later: DealDesk keeps it');

    dv.now = () => new Date('2026-11-26T10:10:00Z');
    dv.editOpportunity(id, { closeprobability: 50 }, carol);
    await p.pollOnce();
    const after = await dealOf(id);
    assert.equal(after.probability, 50, 'the CRM changed it later: the CRM wins');
    const values = after.history.filter((h) => h.change.kind === 'field' && h.change.field === 'probability').map((h) => h.change.kind === 'field' && `${h.by.name}: ${h.change.from} → ${h.change.to}`);
    assert.deepEqual(values, ['Alex Wilber: 30 → 70', 'Carol Sales (CRM): 70 → 50']);
  });

  it('a conflict DealDesk keeps is recorded in history with both values, and not again while the CRM keeps its value', async () => {
    const id = anOpportunity();
    const p = await bothChangeProbability(id);
    const conflictsOf = async () =>
      (await dealOf(id)).history.flatMap((h) => (h.change.kind === 'conflict' ? [`${h.by.name}: ${h.change.field} dealdesk=${h.change.dealdesk} crm=${h.change.crm} kept=${h.change.kept}`] : []));
    assert.deepEqual(await conflictsOf(), ['Carol Sales (CRM): probability dealdesk=70 crm=40 kept=dealdesk']);
    assert.equal((await dealOf(id)).probability, 70);

    // The CRM changes another column; its probability still disagrees: no second entry for the same disagreement.
    dv.now = () => new Date('2026-11-26T09:00:00Z');
    dv.editOpportunity(id, { stepname: 'Send the SOW' }, carol);
    await p.pollOnce();
    assert.equal((await dealOf(id)).nextStep, 'Send the SOW');
    assert.deepEqual(await conflictsOf(), ['Carol Sales (CRM): probability dealdesk=70 crm=40 kept=dealdesk']);
  });

  it('a stage the CRM masters moves the deal through the same gates: a refused close is counted, remembered, and the round goes on', async () => {
    const id = anOpportunity();
    const other = anOpportunity({ name: 'Data platform' });
    const p = poller({ ownership: parseFieldOwnership('stage=crm') });
    await p.pollOnce();
    dv.closeOpportunity(id, 'won', carol); // Won from Prospect: the gate wants evidence DealDesk does not have
    dv.editOpportunity(other, { salesstage: 0, stepname: 'Demo' }, carol);
    const round = await p.pollOnce();
    assert.deepEqual(round.polled && [round.applied, round.refused], [1, 1]);
    assert.equal((await dealOf(id)).stage, 'Prospect');
    assert.equal((await dealOf(other)).nextStep, 'Demo');
    const state = (await store.crmPolls!.get(tenantId)).state;
    assert.equal(state.lastPoll!.refused, 1);
    assert.deepEqual(state.lastPoll!.refusals!.map((r) => [r.recordId, r.code]), [[id, 'DEAL.STAGE_GATE_UNMET']]);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /refused/.test(l.msg ?? '')));
  });

  it('a lost opportunity closes its deal Lost with the CRM\'s reason when the CRM masters the stage', async () => {
    const id = anOpportunity();
    const p = poller({ ownership: parseFieldOwnership('stage=crm') });
    await p.pollOnce();
    dv.closeOpportunity(id, 'lost', carol);
    await p.pollOnce();
    const deal = await dealOf(id);
    assert.deepEqual([deal.stage, deal.outcome], ['Close', 'Lost']);
    const move = deal.history.at(-1)!.change;
    assert.equal(move.kind === 'stage' && move.note, 'Closed as lost in Dynamics 365 (Canceled)');
  });

  it('a stage DealDesk masters (the default) is not moved by the CRM', async () => {
    const id = anOpportunity();
    const p = poller();
    await p.pollOnce();
    dv.editOpportunity(id, { salesstage: 2 }, carol);
    await p.pollOnce();
    assert.equal((await dealOf(id)).stage, 'Prospect');
  });

  it('a crash after page 1 loses and duplicates nothing: the restarted poll resumes from the saved next link', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => anOpportunity({ name: `Deal ${i}` }));
    await poller().pollOnce();
    for (const id of ids) dv.editOpportunity(id, { stepname: 'Proposal sent' }, carol);
    const crash = new Error('killed after page 1');
    const first = await poller({ pageSize: 2, leaseMs: 30_000, afterPage: (page) => { if (page === 1) throw crash; } }).pollOnce();
    assert.equal(first.polled && first.error?.message, 'killed after page 1');
    const saved = (await store.crmPolls!.get(tenantId)).state;
    assert.match(saved.nextLink!, /skiptoken/, 'page 2 is where the next round starts');
    const second = await poller({ pageSize: 2 }).pollOnce();
    assert.equal(second.polled && second.applied, 3, 'pages 2 and 3');
    for (const id of ids) {
      const deal = await dealOf(id);
      assert.equal(deal.nextStep, 'Proposal sent');
      assert.equal(deal.history.filter((h) => h.change.kind === 'field' && h.change.field === 'nextStep').length, 1, 'applied once');
    }
  });

  it('three pollers on one store: one holds the lease and polls, the others find it held', async () => {
    anOpportunity();
    const rounds = await Promise.all(['a', 'b', 'c'].map((x) => poller({ instanceId: `instance-${x}` }).pollOnce()));
    assert.equal(rounds.filter((r) => r.polled).length, 1);
    assert.equal(await store.deals.highestNumber(tenantId), 1001, 'one deal');
  });

  it('three pollers whose leases keep lapsing, racing over many changes: every change applied exactly once', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => anOpportunity({ name: `Deal ${i}` }));
    await poller({ leaseMs: 1, pollMs: 0 }).pollOnce();
    for (let round = 1; round <= 3; round++) for (const id of ids) dv.editOpportunity(id, { closeprobability: 30 + round * 10 }, carol);
    // Leases of 1 ms lapse between any two writes: each poller takes over from the others again and again.
    const racers = ['a', 'b', 'c'].map((x) => poller({ instanceId: `racer-${x}`, leaseMs: 1, pollMs: 0, pageSize: 2 }));
    const rounds = (await Promise.all(racers.map(async (r) => {
      const mine = [];
      for (let i = 0; i < 4; i++) mine.push(await r.pollOnce());
      return mine;
    }))).flat();
    assert.ok(rounds.filter((r) => r.polled && r.error?.message === 'another instance took over the Dataverse poll').length > 0, 'leases did change hands mid-round');
    const last = await poller({ instanceId: 'racer-a', leaseMs: 1, pollMs: 0 }).pollOnce();
    assert.equal(last.polled && last.error, undefined, 'the last round, alone, finishes');
    for (const id of ids) {
      const deal = await dealOf(id);
      assert.equal(deal.probability, 60);
      const entries = deal.history.filter((h) => h.change.kind === 'field' && h.change.field === 'probability');
      assert.equal(entries.length, 1, `one history entry for the one version change tracking reports (${deal.id})`);
    }
  });

  it('429 during a poll: waits its Retry-After with the lease kept, then goes on', async () => {
    anOpportunity();
    const waits: number[] = [];
    dv.fail({ times: 2, status: 429, retryAfterMs: 7_000, code: '0x80072322' });
    const round = await poller({ sleep: async (ms) => void waits.push(ms) }).pollOnce();
    assert.deepEqual(waits, [7_000, 7_000]);
    assert.equal(round.polled && round.applied, 1);
    const lease = (await store.crmPolls!.get(tenantId)).state.lease!;
    assert.equal(lease.holder, 'instance-a');
  });

  it('401 (after a fresh token) or 403 ends the round, recorded in the poll state; the next round picks up from there', async () => {
    anOpportunity();
    dv.fail({ times: 1, status: 403, code: '0x80040220' });
    const round = await poller().pollOnce();
    assert.deepEqual(round.polled && round.error, { status: 403, code: '0x80040220', message: 'Dataverse answered GET with 403' });
    assert.deepEqual((await store.crmPolls!.get(tenantId)).state.lastPoll!.error, { status: 403, code: '0x80040220', message: 'Dataverse answered GET with 403' });
    const next = await poller().pollOnce();
    assert.equal(next.polled && next.applied, 1);
    assert.equal((await store.crmPolls!.get(tenantId)).state.lastPoll!.error, undefined);
  });
});
