import assert from 'node:assert/strict';
import { button, cardText, fact, inputs } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { ALEX, TENANT, contosoForm } from './deal-fixtures';

describe('an SE creates a deal from chat (through /api/messages)', () => {
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  const dealCount = async () => (await h.store.deals.listByOwner(TENANT, ALEX)).length;

  it('"new deal" answers with the form: every field, USD by default, a Create button', async () => {
    const card = (await h.say('new deal')).cards[0];
    assert.deepEqual(Object.keys(inputs(card)).sort(), ['account', 'closeDate', 'currency', 'nextStep', 'probability', 'serviceLines', 'title', 'value']);
    assert.equal(inputs(card).currency, 'USD');
    assert.equal(button(card, 'Create').verb, 'deal.create');
  });

  it('the help card\'s New deal button opens the same form', async () => {
    const pressed = await h.press('deal.newForm', {});
    assert.equal(pressed.status, 200);
    assert.equal(button(pressed.card!, 'Create').verb, 'deal.create');
  });

  it('Create stores the deal with a short id and replaces the form with the deal card', async () => {
    const pressed = await h.press('deal.create', contosoForm);
    const card = pressed.card!;
    assert.match(cardText(card), /Created D-1001\./);
    assert.equal(fact(card, 'Stage'), 'Prospect');
    assert.equal(fact(card, 'NWS value'), '$1,500,000');
    assert.equal(fact(card, 'Close date'), 'Mar 31, 2027');
    assert.equal(fact(card, 'Service lines'), 'Consulting, Premier Support');

    const stored = (await h.store.deals.get(TENANT, 'D-1001'))!.deal;
    assert.equal(stored.title, 'Azure migration assessment');
    assert.equal(stored.account, 'Contoso Bank');
    // With the Teams user id, so the deal card lists the owner for Teams to refresh it (issue 9, live cards).
    assert.deepEqual(stored.owner, { id: ALEX, name: 'Alex Wilber', userId: '29:alex' });
    assert.deepEqual(stored.value, { amount: 1_500_000, currency: 'USD' });
    assert.equal(stored.probability, 40);
    assert.equal(stored.nextStep, 'Scoping workshop with the CIO');
    assert.deepEqual(stored.serviceLines, ['Consulting', 'Premier Support']);
    assert.deepEqual(stored.history.map((e) => e.change.kind), ['created']);
  });

  it('the next deal gets the next id, also in another tenant starting afresh', async () => {
    assert.match(cardText((await h.press('deal.create', { ...contosoForm, title: 'Premier renewal' })).card!), /Created D-1002\./);
    const other = await h.press('deal.create', contosoForm, { tenantId: 'tenant-two' });
    assert.match(cardText(other.card!), /Created D-1001\./);
  });

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a negative value', { value: '-5' }, /NWS value: "-5" isn't a valid amount/],
    ['a non-numeric value', { value: 'lots' }, /NWS value: "lots" isn't a valid amount/],
    ['an unknown currency', { currency: 'XYZ' }, /Currency: "XYZ" isn't one I know/],
    ['a date that does not exist', { closeDate: '2027-02-30' }, /Close date: "2027-02-30" isn't a real date/],
    ['a probability over 100', { probability: 101 }, /Probability: "101" must be a number from 0 to 100/],
    ['an empty title', { title: '   ' }, /Title: it is required and can be at most 200 characters/],
    ['a title over 200 characters', { title: 'x'.repeat(201) }, /Title: .*at most 200 characters \(this one has 201\)/],
    ['no service line', { serviceLines: '' }, /Service lines: choose one or more/],
  ];
  for (const [what, change, message] of bad) {
    it(`refuses ${what}: the form comes back naming the field and the rule, with what was typed, and nothing is stored`, async () => {
      const before = await dealCount();
      const card = (await h.press('deal.create', { ...contosoForm, ...change })).card!;
      assert.match(cardText(card), message);
      assert.equal(button(card, 'Create').verb, 'deal.create');
      assert.equal(inputs(card).account, 'Contoso Bank', 'what was typed is kept');
      assert.equal(await dealCount(), before);
    });
  }
});
