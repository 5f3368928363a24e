import assert from 'node:assert/strict';
import type { Deal } from '../../src/domain/deal';
import { contosoForm } from '../bot/deal-fixtures';
import { DynamicsDeployment, SAM, TENANT } from '../support/dynamics-deployment';
import type { RunningMain } from '../support/run-main';
import { waitFor } from '../support/wait-for';

/**
 * Issue 19 §3: a crash in the middle of a sync (SIGKILL) loses and duplicates nothing. DealDesk runs as deployed with
 * Dynamics 365 (test/support/dynamics-deployment.ts: its own process, Azure mode, the local Dataverse), on one store
 * that outlives each process, and is killed at chosen moments: while the CRM holds the answer to a write it has
 * already carried out (a create, an update, a WinOpportunity), and in the middle of a change poll's round (mid-page,
 * and while a page is being read). Each time another process is started on the same store and CRM, and the end state
 * is counted: records, writes per record against events, CRM changes applied per deal.
 *
 * Leases are short so that a restart does not wait long for the dead instance's (CRM_LEASE_MS, DATAVERSE_POLL_LEASE_MS,
 * docs/crm-sync.md "Leases and timeouts"): a Dataverse request ends within 1 s, a send within 4 s, a deal's claim
 * lasts 5 s and the poll's lease 3 s.
 */
const SHORT_LEASES = { DATAVERSE_TIMEOUT_MS: '1000', CRM_LEASE_MS: '5000', DATAVERSE_POLL_LEASE_MS: '3000', DATAVERSE_POLL_MS: '1000' };
const EVIDENCE = { bdm: 'Dana Li, CFO', tdm: 'Wei Chen, CTO', budget: 'FY27 USD 2M', solutionOutline: 'Landing zone, then waves of 40 apps', proposalRef: 'SOW-2027-014' };

const found = async <T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 20): Promise<T> =>
  (await waitFor(what, check, timeoutMs, everyMs)) as T;

/** Document writes to the deals container(s) the store has received so far. */
const dealWrites = (d: DynamicsDeployment): number => [...d.store.writes.byContainer].filter(([c]) => c.startsWith('deals')).reduce((n, [, count]) => n + count, 0);

describe('Dynamics 365 sync killed mid-sync (SIGKILL) and restarted on the same store: nothing lost, nothing twice (child processes)', function () {
  this.timeout(120_000);

  describe('outbound: DealDesk → the CRM, killed while the CRM holds the answer to a write it carried out', () => {
    const d = new DynamicsDeployment(SHORT_LEASES);
    let dealdesk: RunningMain;
    before(async () => {
      await d.open();
      d.dv.addUser({ aadObjectId: SAM.aadObjectId, fullname: SAM.name });
      d.dv.addAccount(contosoForm.account);
      dealdesk = await d.start();
      await d.say(dealdesk, 'help', SAM);
    });
    after(async () => d.close());

    const create = async (title: string): Promise<string> => /D-\d+/.exec(await d.press(dealdesk, 'deal.create', { ...contosoForm, serviceLines: 'Consulting', value: '200,000', title }, SAM))![0];
    const stored = async (id: string): Promise<Deal> => (await d.store.store.deals.get(TENANT, id))!.deal;
    const recordOf = (title: string) => d.dv.opportunities().find((o) => o.name === title);
    const settled = (id: string) => found(`${id}'s events all sent`, async () => {
      const deal = await stored(id);
      return deal.crmLink?.etag && deal.crmOutbox.length === 0 ? deal : undefined;
    }, 20_000);
    /** Kills this DealDesk once `check` holds (polled every 5 ms), then starts the next one on the same store and CRM. */
    const killWhen = async (what: string, check: () => boolean): Promise<void> => {
      await found(what, check, 10_000, 5);
      await d.kill(dealdesk);
      const started = Date.now();
      dealdesk = await d.start();
      startMs.push(Date.now() - started);
    };
    const startMs: number[] = [];

    it('every record exists once, every event is sent, and the only second write of an event is its replay answered 412 (no change)', async () => {
      const titles = ['Crash: held create', 'Crash: held update', 'Crash: held close', 'Crash: bystander'];
      const ids: Record<string, string> = {};
      for (const title of titles.slice(1)) ids[title] = await create(title);
      for (const title of titles.slice(1)) await settled(ids[title]);

      // Kill 1: a new deal's create (PATCH If-None-Match: *) carried out by the CRM, its answer held; killed meanwhile.
      d.dv.fail({ times: 1, status: 504, method: 'PATCH', carriedOut: true, delayMs: 5000 });
      ids[titles[0]] = await create(titles[0]);
      await killWhen('the held create carried out', () => recordOf(titles[0]) !== undefined);
      const heldCreate = await stored(ids[titles[0]]);
      assert.deepEqual([heldCreate.crmOutbox.length, heldCreate.crmOutbox[0]?.attempts, heldCreate.crmLink], [1, 0, undefined], 'killed before DealDesk heard back: the event is unrecorded');

      // Kill 2: an update (PATCH If-Match) of an existing record carried out, its answer held; the bystander changes too.
      const updateRecord = String(recordOf(titles[1])!.opportunityid);
      d.dv.fail({ times: 1, status: 504, method: 'PATCH', path: new RegExp(`opportunities\\(${updateRecord}\\)`), carriedOut: true, delayMs: 5000 });
      assert.match(await d.run(dealdesk, `set ${ids[titles[1]]} value 300,000`, SAM), /300,000/);
      await killWhen('the held update carried out', () => recordOf(titles[1])!.estimatedvalue === 300_000);
      assert.match(await d.run(dealdesk, `set ${ids[titles[3]]} next step Send the SOW`, SAM), /Send the SOW/);

      // Kill 3: the close (WinOpportunity) carried out, its answer held.
      d.dv.fail({ times: 1, status: 504, method: 'POST', path: /WinOpportunity/, carriedOut: true, delayMs: 5000 });
      const closing = await stored(ids[titles[2]]);
      assert.match(await d.press(dealdesk, 'deal.move', { dealId: closing.id, rev: closing.rev, target: 'Won', ...EVIDENCE, finalValue: '200,000' }, SAM), /Closed won/i);
      await killWhen('the held WinOpportunity carried out', () => recordOf(titles[2])!.statecode === 1);
      const versionsAtKill = Object.fromEntries(titles.slice(0, 3).map((t) => [t, recordOf(t)!.versionnumber]));

      // The last DealDesk sends what the dead ones left once their claims lapse.
      const deals = await Promise.all(titles.map((t) => settled(ids[t])));
      assert.equal(d.dv.opportunities().length, titles.length, 'one record per deal');
      for (const title of titles) assert.equal(d.dv.opportunities().filter((o) => o.name === title).length, 1, `one record for "${title}"`);
      for (const deal of deals) {
        const sequences = deal.crmLog.map((e) => e.sequence).sort((a, b) => a - b);
        assert.deepEqual(sequences, Array.from({ length: deal.crmSeq }, (_, i) => i + 1), `${deal.id}: each event once in the log`);
        assert.ok(deal.crmLog.every((e) => e.state === 'sent'), `${deal.id}: every event sent`);
      }
      // The replays changed nothing: the three records are at the version the held writes left them at.
      for (const title of titles.slice(0, 3)) assert.equal(recordOf(title)!.versionnumber, versionsAtKill[title], `"${title}": the replay wrote nothing new`);

      await found('the three held answers given (the CRM records a request when it answers)', () => d.dv.requests.filter((r) => r.status === 504).length === 3, 6000);
      // Writes per record: one per event (a close: its fields and the action); a held write's replay is one 412.
      const writes = (title: string) => d.writesTo(String(recordOf(title)!.opportunityid)).map((w) => `${w.method} ${w.status}`).sort(); // a held answer is recorded when it is given, maybe after the replay
      const byTitle = Object.fromEntries(titles.map((t, i) => [t, { events: deals[i].crmSeq, writes: writes(t) }]));
      assert.deepEqual(byTitle, {
        'Crash: held create': { events: 1, writes: ['PATCH 412', 'PATCH 504'] },
        'Crash: held update': { events: 2, writes: ['PATCH 204', 'PATCH 412', 'PATCH 504'] },
        'Crash: held close': { events: 2, writes: ['PATCH 204', 'PATCH 204', 'POST 504'] },
        'Crash: bystander': { events: 2, writes: ['PATCH 204', 'PATCH 204'] },
      });
      assert.equal(d.dv.requests.filter((r) => r.method === 'POST' && /WinOpportunity/.test(r.path)).length, 1, 'one WinOpportunity');
      console.log(`      outbound: 3 kills, ${titles.length} records, ${deals.reduce((n, x) => n + x.crmSeq, 0)} events; restarts took ${startMs.join(', ')} ms`);
    });
  });
  describe('inbound: the CRM → DealDesk, killed in the middle of a change poll', () => {
    const RECORDS = 24;
    const PAGE = 4;
    const d = new DynamicsDeployment(SHORT_LEASES);
    let dealdesk: RunningMain;
    let sam: string;
    let carol: string;
    let account: string;
    before(async () => {
      await d.open({ pageSize: PAGE });
      sam = d.dv.addUser({ aadObjectId: SAM.aadObjectId, fullname: SAM.name });
      carol = d.dv.addUser({ aadObjectId: '00000000-0000-0000-0000-00000000ca01', fullname: 'Carol Sales' });
      account = d.dv.addAccount(contosoForm.account);
      dealdesk = await d.start();
      await d.say(dealdesk, 'help', SAM); // Sam is someone DealDesk knows: his opportunities become deals
      await found('the first poll round (change tracking started)', async () => (await pollState()).deltaLink);
    });
    after(async () => d.close());

    const pollState = async () => (await d.store.store.crmPolls!.get(TENANT)).state;
    /** The tenant's deals as stored, in one query: which record each is linked to and the CRM changes it applied. */
    const linked = async (): Promise<Array<{ id: string; recordId?: string; applied: string[] }>> => {
      const { resources } = await d.store.database.container('deals-v2').items
        .query<{ id: string; crmLink?: { recordId: string }; appliedEvents?: string[] }>({ query: "SELECT c.id, c.crmLink, c.appliedEvents FROM c WHERE c.tenantId = @t AND c.type = 'deal'", parameters: [{ name: '@t', value: TENANT }] })
        .fetchAll();
      return resources.map((r) => ({ id: r.id, recordId: r.crmLink?.recordId, applied: (r.appliedEvents ?? []).filter((e) => e.startsWith('dataverse:')) }));
    };
    const editsApplied = async () => (await linked()).reduce((n, deal) => n + deal.applied.length, 0);
    /** Kills this DealDesk once `check` holds (polled every 5 ms); what `measure` says right after; then the next one starts. */
    const killWhen = async <T>(what: string, check: () => Promise<boolean>, measure: () => Promise<T>): Promise<T> => {
      await found(what, check, 20_000, 5);
      await d.kill(dealdesk);
      const at = await measure();
      dealdesk = await d.start();
      return at;
    };

    it(`${RECORDS} opportunities created and then ${RECORDS} edited in the CRM, ${PAGE} per page, polls killed three times: each comes in exactly once`, async () => {
      const ids: string[] = [];
      for (let i = 0; i < RECORDS; i++) {
        ids.push(d.dv.createOpportunity({
          name: `Inbound ${String(i + 1).padStart(2, '0')}`, 'parentaccountid@odata.bind': `/accounts(${account})`, estimatedvalue: 100_000 + i * 1000,
          'transactioncurrencyid@odata.bind': `/transactioncurrencies(${d.dv.currencyId('USD')})`, estimatedclosedate: '2027-03-31', closeprobability: 30, stepname: 'Workshop', 'ownerid@odata.bind': `/systemusers(${sam})`,
        }, carol));
      }
      // Kill 1: the round that brings the 30 in, in the middle of its second page.
      const newAtKill = await killWhen('7 of the new opportunities in (page 2)', async () => (await linked()).length >= PAGE + 2, async () => (await linked()).length);
      assert.ok(newAtKill > PAGE && newAtKill < RECORDS, `killed mid-round (${newAtKill} of ${RECORDS} in)`);
      await found(`all ${RECORDS} in`, async () => (await linked()).length >= RECORDS && !(await pollState()).nextLink, 30_000);

      // Kill 2: the round that brings the 30 edits in, while it reads its third page (the CRM answers each page 200 ms late).
      d.dv.slow({ times: 1000, delayMs: 200, method: 'GET', path: /opportunities\?.*\$(skiptoken|deltatoken)=/ });
      for (const [i, id] of ids.entries()) d.dv.editOpportunity(id, { stepname: `Send proposal v${i + 1}` }, carol);
      const pagesSaved = new Set<string>();
      const editsAtKill2 = await killWhen('two pages of edits saved, the third being read', async () => {
        const next = (await pollState()).nextLink;
        if (next) pagesSaved.add(next);
        return pagesSaved.size >= 2 && next !== undefined;
      }, editsApplied);
      assert.ok(editsAtKill2 >= 2 * PAGE && editsAtKill2 < RECORDS, `killed mid-round (${editsAtKill2} edits in)`);

      // Kill 3: the next DealDesk resumes from the saved page; killed again in the middle of it.
      const editsAtKill3 = await killWhen('the resumed round two records into its page', async () => (await editsApplied()) >= editsAtKill2 + 2, editsApplied);
      assert.ok(editsAtKill3 > editsAtKill2 && editsAtKill3 < RECORDS, `killed mid-round (${editsAtKill3} edits in)`);

      await found(`all ${RECORDS} edits in`, async () => (await editsApplied()) >= RECORDS && !(await pollState()).nextLink, 30_000);
      const deals = await linked();
      assert.equal(deals.length, RECORDS, 'one deal per opportunity');
      assert.deepEqual(deals.map((x) => x.recordId).sort(), [...ids].sort(), 'each opportunity linked to exactly one deal');
      for (const deal of deals) {
        const record = d.dv.opportunity(deal.recordId!)!;
        assert.deepEqual(deal.applied, [`dataverse:${deal.recordId}:${String(record.versionnumber)}`], `${deal.id}: its record's edit applied exactly once`);
        const full = (await d.store.store.deals.get(TENANT, deal.id))!.deal;
        assert.equal(full.nextStep, record.stepname, `${deal.id}: the edit on the deal`);
        assert.equal(full.history.filter((h) => h.change.kind === 'field' && h.change.field === 'nextStep').length, 1, `${deal.id}: one history entry for the edit`);
        assert.deepEqual([full.crmSeq, full.crmOutbox.length], [0, 0], `${deal.id}: nothing queued back to the CRM`);
      }
      assert.equal(d.dv.requests.filter((r) => r.method !== 'GET').length, 0, 'nothing written to the CRM (no echo)');
      console.log(`      inbound: 3 kills (${newAtKill}/${RECORDS} new in; ${editsAtKill2} and ${editsAtKill3}/${RECORDS} edits in), ${RECORDS} records, ${RECORDS * 2} CRM changes`);
    });
  });
  describe('three DealDesk processes on one store and one CRM', () => {
    const TEAMS_DEALS = 6;
    const CRM_DEALS = 12;
    const d = new DynamicsDeployment({ ...SHORT_LEASES, DATAVERSE_POLL_MS: '1000' });
    let instances: RunningMain[] = [];
    let sam: string;
    let carol: string;
    let account: string;
    before(async () => {
      await d.open({ pageSize: 5 });
      sam = d.dv.addUser({ aadObjectId: SAM.aadObjectId, fullname: SAM.name });
      carol = d.dv.addUser({ aadObjectId: '00000000-0000-0000-0000-00000000ca01', fullname: 'Carol Sales' });
      account = d.dv.addAccount(contosoForm.account);
      instances = await Promise.all([d.start(), d.start(), d.start()]);
      await d.say(instances[0], 'help', SAM);
    });
    after(async () => d.close());

    const via = (i: number) => instances[i % instances.length];
    const stored = async (id: string): Promise<Deal> => (await d.store.store.deals.get(TENANT, id))!.deal;
    const samsDeals = () => d.store.store.deals.listByOwner(TENANT, SAM.aadObjectId);

    it('every CRM change is applied once, every DealDesk change sent once per event, and no record or deal is there twice', async () => {
      const pollHolders = new Set<string>();
      const sampling = setInterval(() => void d.store.store.crmPolls!.get(TENANT).then((p) => p.state.lease && pollHolders.add(p.state.lease.holder), () => undefined), 100);
      // DealDesk's side: each deal created through one instance, changed through the next, moved through the third.
      const teamsIds: string[] = [];
      for (let i = 0; i < TEAMS_DEALS; i++) {
        const answer = await d.press(via(i), 'deal.create', { ...contosoForm, serviceLines: 'Consulting', value: '200,000', title: `Shared ${i + 1}` }, SAM);
        teamsIds.push(/D-\d+/.exec(answer)![0]);
      }
      // The CRM's side, meanwhile: new opportunities of Sam's.
      const crmIds: string[] = [];
      for (let i = 0; i < CRM_DEALS; i++) {
        crmIds.push(d.dv.createOpportunity({
          name: `From the CRM ${i + 1}`, 'parentaccountid@odata.bind': `/accounts(${account})`, estimatedvalue: 50_000 + i * 1000,
          'transactioncurrencyid@odata.bind': `/transactioncurrencies(${d.dv.currencyId('USD')})`, estimatedclosedate: '2027-06-30', closeprobability: 20, stepname: 'Discovery', 'ownerid@odata.bind': `/systemusers(${sam})`,
        }, carol));
      }
      for (const [i, id] of teamsIds.entries()) assert.match(await d.run(via(i + 1), `set ${id} value 250,000`, SAM), /250,000/);
      for (const [i, id] of teamsIds.entries()) assert.match(await d.run(via(i + 2), `move ${id} to qualify`, SAM), /Qualify/);
      const settled = async () => {
        const deals = await Promise.all(teamsIds.map(stored));
        return deals.every((x) => x.crmOutbox.length === 0 && x.crmLink?.etag) ? deals : undefined;
      };
      const sent = await found('every DealDesk change sent', settled, 30_000);
      await found(`the ${CRM_DEALS} CRM opportunities in as deals`, async () => (await samsDeals()).length >= TEAMS_DEALS + CRM_DEALS, 30_000);

      // Then the CRM edits every record: those DealDesk created and those it brought in.
      const recordOfDeal = new Map(sent.map((x) => [x.id, x.crmLink!.recordId]));
      const allRecords = [...recordOfDeal.values(), ...crmIds];
      for (const [i, id] of allRecords.entries()) d.dv.editOpportunity(id, { closeprobability: 60 + (i % 30) }, carol);
      const edited = async () => {
        const deals = await samsDeals();
        return deals.length === allRecords.length && deals.every((x) => (x.appliedEvents ?? []).some((e) => e.startsWith('dataverse:'))) ? deals : undefined;
      };
      await found('every CRM edit on its deal', edited, 30_000);
      await new Promise((r) => setTimeout(r, 1500)); // more rounds, by whichever instance: nothing may be applied again

      const final = await samsDeals();
      assert.equal(final.length, TEAMS_DEALS + CRM_DEALS, 'no deal twice');
      assert.equal(d.dv.opportunities().length, TEAMS_DEALS + CRM_DEALS, 'no record twice');
      assert.deepEqual(final.map((x) => x.crmLink?.recordId).sort(), [...allRecords].sort(), 'each record linked to exactly one deal');
      for (const deal of final) {
        const record = d.dv.opportunity(deal.crmLink!.recordId)!;
        assert.deepEqual((deal.appliedEvents ?? []).filter((e) => e.startsWith('dataverse:')), [`dataverse:${record.opportunityid}:${String(record.versionnumber)}`], `${deal.id}: the CRM's edit applied exactly once`);
        assert.equal(deal.probability, record.closeprobability, `${deal.id}: the edit on the deal`);
        assert.equal(deal.history.filter((h) => h.change.kind === 'field' && h.change.field === 'probability').length, 1, `${deal.id}: one history entry for it`);
        assert.deepEqual(deal.history.filter((h) => h.change.kind === 'conflict').map((h) => h.change), [], `${deal.id}: no conflict (no field changed on both sides)`);
      }
      for (const id of teamsIds) {
        const deal = final.find((x) => x.id === id)!;
        assert.deepEqual([deal.crmSeq, deal.crmOutbox.length], [3, 0], `${id}: created, changed, moved; nothing queued back from the CRM's edit`);
        assert.deepEqual(deal.crmLog.map((e) => [e.sequence, e.state, e.attempts]), [[1, 'sent', 1], [2, 'sent', 1], [3, 'sent', 1]], `${id}: each event sent once`);
        assert.deepEqual(d.writesTo(deal.crmLink!.recordId).map((w) => `${w.method} ${w.status}`), ['PATCH 204', 'PATCH 204', 'PATCH 204'], `${id}: one write per event`);
      }
      for (const id of crmIds) assert.deepEqual(d.writesTo(id), [], 'nothing written back to a record the CRM made');
      clearInterval(sampling);
      console.log(`      three instances: ${final.length} deals and records, ${TEAMS_DEALS * 3} DealDesk events, ${allRecords.length + CRM_DEALS} CRM changes; the poll lease seen with ${pollHolders.size} holder(s)`);
    });
  });
});
