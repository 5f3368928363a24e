import assert from 'node:assert/strict';
import { button, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { USERS } from '../support/activities';
import { contosoForm, TENANT } from './deal-fixtures';

const ALEX = USERS.alex.aadObjectId;
const MEGAN = USERS.megan.aadObjectId;

/** Managers, quotas, `quota` and `my team` through /api/messages. Lynne is the admin; Adele manages Alex. */
describe('managers, quotas and my team (through /api/messages)', () => {
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId });
  const reply = async (text: string, as: keyof typeof USERS) => {
    const said = await h.say(text, { as });
    return [...said.texts, ...said.cards.map(cardText)].join('\n');
  };
  const fy = 'FY2027';

  before(async () => {
    await h.start();
    for (const as of ['alex', 'megan', 'adele', 'patti', 'lynne'] as const) await h.say('help', { as });
  });
  after(() => h.stop());

  it('set manager: refused for a non-admin, stored for an admin (with or without "to"); manager shows it', async () => {
    assert.match(await reply('set manager Alex Wilber to Adele Vance', 'patti'), /Only a DealDesk admin/);
    assert.equal((await h.store.people.get(TENANT, ALEX))?.managerId, undefined, 'nothing stored');
    assert.match(await reply('set manager Alex Wilber to Adele Vance', 'lynne'), /Adele Vance is now Alex Wilber's manager/);
    assert.match(await reply('set manager Megan Bowen Adele Vance', 'lynne'), /Adele Vance is now Megan Bowen's manager/);
    assert.equal((await h.store.people.get(TENANT, MEGAN))?.managerId, USERS.adele.aadObjectId);
    assert.match(await reply('manager Alex Wilber', 'patti'), /Alex Wilber's manager is Adele Vance/);
    assert.match(await reply('manager', 'patti'), /Patti Fernandez has no manager set/);
    assert.match(await reply('set manager Alex Wilber to Alex Wilber', 'lynne'), /can't be their own manager/);
    const reports = await h.store.people.listReports(TENANT, USERS.adele.aadObjectId);
    assert.deepEqual(reports.map((p) => p.name), ['Alex Wilber', 'Megan Bowen']);
    assert.deepEqual(await h.store.people.listReports('another-tenant', USERS.adele.aadObjectId), [], 'tenant-partitioned');
  });

  it('set quota: the manager and an admin may; a stranger may not; bad amounts and unknown people store nothing', async () => {
    assert.match(await reply('set quota Alex Wilber pg1 1m pg2 500k', 'patti'), /Only Alex Wilber's manager or a DealDesk admin/);
    assert.match(await reply('set quota Alex Wilber pg1 -5 pg2 500k', 'adele'), /PG1 amount: "-5" isn't a valid amount/);
    assert.match(await reply('set quota Alex Wilber pg1 1m pg2 lots', 'adele'), /PG2 amount: "lots" isn't a valid amount/);
    assert.match(await reply('set quota Nobody Atall pg1 1m pg2 1m', 'adele'), /I don't know anyone matching "Nobody Atall"/);
    assert.match(await reply('set quota Alex Wilber pg1 1m', 'adele'), /set quota <person> pg1 <amount> pg2 <amount>/);
    assert.equal(await h.store.quotas.get(TENANT, ALEX, fy), undefined, 'nothing stored');

    assert.match(await reply('set quota Alex Wilber pg1 1m pg2 500k', 'adele'), /Quota for Alex Wilber saved for FY2027: PG1 \$1,000,000, PG2 \$500,000/);
    assert.match(await reply('set quota Megan Bowen pg2 200k pg1 800k', 'lynne'), /PG1 \$800,000, PG2 \$200,000/);
    const stored = await h.store.quotas.get(TENANT, ALEX, fy);
    assert.deepEqual([stored?.pg1.amount, stored?.pg2.amount, stored?.setBy.id], [1_000_000, 500_000, USERS.adele.aadObjectId]);
  });

  it('quota: target, won NWS this FY per PG, attainment, weighted pipeline and gap, with a gauge and its fallback', async () => {
    await h.press('deal.create', { ...contosoForm, value: '600k', serviceLines: 'Consulting', probability: 50 }); // D-1001
    await h.press('deal.create', { ...contosoForm, value: '400k', serviceLines: 'Consulting,Premier Support', probability: 25 }); // D-1002
    const gate = (await h.press('deal.closeWon', { dealId: 'D-1001', rev: 1 })).card!;
    await h.press('deal.move', { ...button(gate, 'Move to Closed won').data, bdm: 'Dana', tdm: 'Wei', budget: 'yes', solutionOutline: 'o', proposalRef: 'SOW-1', finalValue: '600k' });

    const card = (await h.say('quota')).cards[0];
    const text = cardText(card);
    assert.match(text, /Alex Wilber's quota · FY2027/);
    assert.match(text, /Attainment 40% · \$900,000 to go/);
    assert.match(text, /PG1 \(Consulting\) won: \$600,000 \(60%\)/);
    assert.match(text, /PG2 \(Premier Support\) won: \$0 \(0%\)/);
    assert.match(text, /PG1 \(Consulting\) weighted pipeline: \$50,000 of \$200,000 open/);
    assert.match(text, /PG2 \(Premier Support\) gap: \$500,000/);
    const gauge = card.body.find((e: any) => e.type === 'Chart.Gauge');
    assert.equal(gauge.value, 40);
    assert.equal(gauge.fallback.type, 'FactSet');
    assert.match(gauge.fallback.facts[0].value, /40% · \$600,000 of \$1,500,000/);
  });

  it('my team: the manager sees each report\'s open NWS (weighted) and attainment; someone without reports is told so', async () => {
    const text = cardText((await h.say('my team', { as: 'adele' })).cards[0]);
    assert.match(text, /Adele Vance's team/);
    assert.match(text, /Alex Wilber/);
    assert.match(text, /\$400,000 \(\$100,000\)/);
    assert.match(text, /40%/);
    assert.match(text, /Megan Bowen/);
    assert.match(cardText((await h.say('my team', { as: 'patti' })).cards[0]), /Nobody reports to you/);
  });
});
