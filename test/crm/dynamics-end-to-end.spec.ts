import assert from 'node:assert/strict';
import { USERS } from '../support/activities';
import { DynamicsDeployment, SAM, TENANT } from '../support/dynamics-deployment';
import type { RunningMain } from '../support/run-main';
import { waitFor } from '../support/wait-for';
import { contosoForm } from '../bot/deal-fixtures';

/** waitFor, typed as what it waits for (it never resolves with a falsy value). */
const found = async <T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs?: number): Promise<T> => (await waitFor(what, check, timeoutMs)) as T;
const CAROL = { aadObjectId: '00000000-0000-0000-0000-00000000ca01', fullname: 'Carol Sales' };
const EVIDENCE = { bdm: 'Dana Li, CFO', tdm: 'Wei Chen, CTO', budget: 'FY27 USD 2M', solutionOutline: 'Landing zone, then waves of 40 apps', proposalRef: 'SOW-2027-014' };

/**
 * Issue 19 §3, end to end: DealDesk started as deployed (Azure mode, its own process, DATAVERSE_URL set, the token
 * from the local Dataverse's Entra stand-in with the bot's client secret), driven by real Teams activities posted to
 * /api/messages with the channel's signed token; Dynamics 365 is the local Dataverse, Teams's connector the fake Teams.
 */
describe('DealDesk deployed with Dynamics 365: Teams ↔ the CRM, both ways (child process, local Dataverse)', function () {
  this.timeout(90_000);
  const d = new DynamicsDeployment();
  let dealdesk: RunningMain;
  let samUser: string;
  let carol: string;
  let contoso: string;

  before(async () => {
    await d.open();
    samUser = d.dv.addUser({ aadObjectId: SAM.aadObjectId, fullname: SAM.name });
    d.dv.addUser({ aadObjectId: USERS.megan.aadObjectId, fullname: USERS.megan.name });
    carol = d.dv.addUser(CAROL);
    contoso = d.dv.addAccount(contosoForm.account);
    dealdesk = await d.start();
    for (const who of [SAM, 'megan'] as const) await d.say(dealdesk, 'help', who);
  });
  after(async () => d.close());

  const recordNamed = (name: string) => found(`the opportunity "${name}" in the CRM`, () => d.dv.opportunities().find((o) => o.name === name), 10_000);
  /** A deal of one service line (closing it Won needs no approval round), created by Sam through the form. */
  const create = async (title: string): Promise<string> => /D-\d+/.exec(await d.press(dealdesk, 'deal.create', { ...contosoForm, serviceLines: 'Consulting', value: '200,000', title }, SAM))![0];
  /** A command Sam, the SE, runs from his 1:1 chat. */
  const ask = (command: string) => d.run(dealdesk, command, SAM);
  const stored = async (id: string) => (await d.store.store.deals.get(TENANT, id))!.deal;
  /** The deal linked to its record, and every event it queued sent. */
  const settled = (id: string) => found(`${id}'s events sent`, async () => {
    const deal = await stored(id);
    return deal.crmLink && deal.crmOutbox.length === 0 ? deal : undefined;
  }, 10_000);

  it('a deal created in Teams appears in the CRM with its fields and owner; a move and a Won close follow (WinOpportunity)', async () => {
    const id = await create('Azure migration assessment');
    const record = await recordNamed('Azure migration assessment');
    assert.equal(record.estimatedvalue, 200_000);
    assert.equal(record._transactioncurrencyid_value, d.dv.currencyId('USD'));
    assert.equal(String(record.estimatedclosedate).slice(0, 10), '2027-03-31');
    assert.equal(record.closeprobability, 40);
    assert.equal(record._ownerid_value, samUser, "owned by the SE's system user (by Entra object id)");
    assert.equal(record._parentaccountid_value, contoso);
    assert.equal(record.statecode, 0);
    const recordId = String(record.opportunityid);
    assert.equal((await settled(id)).crmLink!.recordId, recordId);

    assert.match(await ask(`move ${id} to qualify`), /Qualify/);
    await found('the move written', () => d.writesTo(recordId).filter((w) => w.method === 'PATCH' && w.status < 300).length >= 2, 10_000);

    const rev = (await stored(id)).rev;
    const won = await d.press(dealdesk, 'deal.move', { dealId: id, rev, target: 'Won', ...EVIDENCE, finalValue: '200,000' }, SAM);
    assert.match(won, /Closed won/i, won);
    await found('the opportunity won in the CRM', () => d.dv.opportunity(recordId)!.statecode === 1, 20_000);
    assert.equal(d.dv.opportunity(recordId)!.statuscode, 3);
    assert.equal(d.dv.requests.filter((r) => r.method === 'POST' && /WinOpportunity$/.test(r.path) && r.status < 300).length, 1, 'one WinOpportunity');
    assert.equal(d.dv.opportunities().filter((o) => o.name === 'Azure migration assessment').length, 1, 'one record');
    await settled(id);
    const sync = await ask(`sync ${id}`);
    assert.match(sync, /Nothing is waiting: every change went out\./, sync);
  });

  it('a change made in the CRM appears on the deal in Teams, with history naming the CRM user and an alert to the deal team', async () => {
    const id = await create('Data platform modernisation');
    await ask(`add megan to ${id} as architect`);
    const recordId = String((await recordNamed('Data platform modernisation')).opportunityid);
    const seqBefore = (await settled(id)).crmSeq;
    const alertsBefore = { sam: d.messagesTo('a:personal-sam').length, megan: d.messagesTo('a:personal-megan').length };

    d.dv.editOpportunity(recordId, { estimatedvalue: 2_400_000, stepname: 'Send the SOW' }, carol);

    const card = await found('the CRM change on the deal card', async () => {
      const text = await ask(`deal ${id}`);
      return /Send the SOW/.test(text) ? text : undefined;
    }, 10_000);
    assert.match(card, /2,400,000|2\.4M/, card);
    const history = await ask(`history ${id}`);
    assert.match(history, /Carol Sales \(CRM\)/, history);
    const alert = await found("Megan's alert (the deal team)", () => d.messagesTo('a:personal-megan').slice(alertsBefore.megan).find((t) => /Carol Sales/.test(t)), 10_000);
    assert.match(alert, new RegExp(id), alert);
    const deal = await stored(id);
    assert.deepEqual(deal.history.filter((h) => h.by.name === 'Carol Sales (CRM)').map((h) => h.change.kind === 'field' && h.change.field), ['value', 'nextStep'], 'applied once');
    assert.deepEqual([deal.crmSeq, deal.crmOutbox.length], [seqBefore, 0], 'nothing queued back to the CRM (no echo)');
  });

  it('both changed at once: the value changed in Teams and in the CRM before DealDesk sent it; the field rule (lww) decides and history shows both values', async () => {
    const id = await create('Security operations centre');
    const recordId = String((await recordNamed('Security operations centre')).opportunityid);
    await settled(id);
    // DealDesk's send of the change is refused once (the CRM is busy); meanwhile Carol changes the value in the CRM.
    // The change poll does not see the CRM's change before the send does (its next rounds fail, for about 3 s).
    d.dv.fail({ times: 1, status: 503, method: 'PATCH', path: new RegExp(`opportunities\\(${recordId}\\)`) });
    d.dv.fail({ times: 3, status: 503, method: 'GET', path: /\$deltatoken=/ });
    await ask(`set ${id} value 1,800,000`);
    await found('the refused send', () => d.dv.requests.some((r) => r.method === 'PATCH' && r.status === 503), 10_000);
    d.dv.editOpportunity(recordId, { estimatedvalue: 2_100_000 }, carol);

    const history = await found('the conflict in history', async () => {
      const text = await ask(`history ${id}`);
      return /DealDesk had/.test(text) ? text : undefined;
    }, 15_000);
    assert.match(history, /value: DealDesk had [^\n]*1,800,000[^\n]*, the CRM [^\n]*2,100,000[^\n]*; kept the CRM's/, history);
    await found('the CRM value on the deal', async () => (await stored(id)).value.amount === 2_100_000, 10_000);
    assert.equal(d.dv.opportunity(recordId)!.estimatedvalue, 2_100_000, "the later writer's value stands in the CRM");
    const deal = await settled(id);
    const sync = await ask(`sync ${id}`);
    assert.ok(deal.crmLog.length >= 2);
    for (const e of deal.crmLog) assert.match(sync, new RegExp(`${e.eventId.replace('.', '\\.')} · [^\\n]*Sent`), sync);
    assert.match(sync, /Nothing is waiting: every change went out\./);
  });
});
