import assert from 'node:assert/strict';
import { button, buttons, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { contosoForm } from './deal-fixtures';

describe('an SE sees their pipeline (through /api/messages)', () => {
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  it('an empty pipeline gets a friendly card with a New deal button', async () => {
    const card = (await h.say('my deals')).cards[0];
    assert.match(cardText(card), /Your pipeline is empty/);
    const newDeal = button(card, 'New deal');
    const form = await h.press(newDeal.verb, newDeal.data);
    assert.equal(button(form.card!, 'Create').verb, 'deal.create');
  });

  it('open deals are grouped by stage with count and NWS totals, soonest close first, per service line too', async () => {
    const create = (over: Record<string, unknown>) => h.press('deal.create', { ...contosoForm, ...over });
    await create({ title: 'Late one', closeDate: '2027-09-30', value: '100k', serviceLines: 'Consulting' }); // D-1001
    await create({ title: 'Soon one', closeDate: '2027-01-15', value: '200k', serviceLines: 'Consulting' }); // D-1002
    await create({ title: 'Euro one', closeDate: '2027-02-01', value: '50k', currency: 'EUR', serviceLines: 'Premier Support' }); // D-1003
    await create({ title: 'Qualified', closeDate: '2027-05-01', value: '1m', serviceLines: 'Enterprise Strategy,Consulting' }); // D-1004
    await create({ title: 'Lost cause', value: '9m' }); // D-1005
    await h.say('move D-1004 to qualify');
    await h.say('close D-1005 lost no budget');
    await h.press('deal.create', { ...contosoForm, title: 'Megan deal' }, { as: 'megan' });

    const card = (await h.say('pipeline')).cards[0];
    const text = cardText(card);
    assert.match(text, /Alex Wilber's pipeline/);
    assert.match(text, /4 open deals · \$1,300,000 \+ €50,000/);
    assert.match(text, /Prospect · 3 · \$300,000 \+ €50,000/);
    assert.match(text, /Qualify · 1 · \$1,000,000/);
    const order = buttons(card).filter((b) => b.verb === 'deal.show').map((b) => b.data.dealId);
    assert.deepEqual(order, ['D-1002', 'D-1003', 'D-1001', 'D-1004'], 'by stage, soonest close first');
    assert.match(text, /Consulting: 3 · \$1,300,000/);
    assert.match(text, /Premier Support: 1 · €50,000/);
    assert.match(text, /Enterprise Strategy: 1 · \$1,000,000/);
    assert.doesNotMatch(text, /Lost cause|Megan deal/);
  });

  it('a deal row opens the deal card', async () => {
    const card = (await h.say('my deals')).cards[0];
    const row = buttons(card).find((b) => b.data.dealId === 'D-1004')!;
    assert.match(cardText((await h.press(row.verb, row.data)).card!), /^D-1004 · Qualify$/m);
  });

  it('the My deals button works from any card', async () => {
    assert.match(cardText((await h.press('pipeline.show', {})).card!), /4 open deals/);
  });
});
