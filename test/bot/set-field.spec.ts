import assert from 'node:assert/strict';
import { button, cardText, fact, inputs } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

describe('an SE updates one field at a time, or edits on the card (through /api/messages)', () => {
  const h = new DealDeskHarness();
  const stored = async () => (await h.store.deals.get(TENANT, 'D-1001'))!.deal;
  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm);
  });
  after(() => h.stop());

  const good: Array<[string, string, (d: Awaited<ReturnType<typeof stored>>) => unknown, unknown]> = [
    ['set D-1001 value 2.5m', 'NWS value', (d) => d.value.amount, 2_500_000],
    ['set D-1001 currency eur', 'Currency', (d) => d.value.currency, 'EUR'],
    ['set D-1001 close date 2027/6/30', 'Close date', (d) => d.closeDate, '2027-06-30'],
    ['set D-1001 probability 60%', 'Probability (%)', (d) => d.probability, 60],
    ['set D-1001 next step Present to the board', 'Next step', (d) => d.nextStep, 'Present to the board'],
    ['SET azure migration TITLE Azure landing zone', 'Title', (d) => d.title, 'Azure landing zone'],
  ];
  for (const [typed, label, read, expected] of good) {
    it(`"${typed}" updates ${label}, says so, and records old → new`, async () => {
      const card = (await h.say(typed)).cards[0];
      assert.match(cardText(card), new RegExp(`${label.replace(/[()%]/g, '.')} updated\\.`));
      const deal = await stored();
      assert.deepEqual(read(deal), expected);
      const last = deal.history.at(-1)!.change;
      assert.equal(last.kind, 'field');
    });
  }

  it('setting the value it already has changes nothing', async () => {
    const before = (await stored()).rev;
    assert.match(cardText((await h.say('set D-1001 probability 60')).cards[0]), /Nothing to change/);
    assert.equal((await stored()).rev, before);
  });

  const bad: Array<[string, RegExp]> = [
    ['set D-1001 value -1', /NWS value: "-1" isn't a valid amount/],
    ['set D-1001 value a lot', /NWS value: "a lot" isn't a valid amount/],
    ['set D-1001 currency doubloons', /Currency: "doubloons" isn't one I know/],
    ['set D-1001 close date 2027-02-29', /Close date: "2027-02-29" isn't a real date/],
    ['set D-1001 probability 150', /Probability: "150" must be a number from 0 to 100/],
    ['set D-1001 title ' + 'y'.repeat(201), /Title: .*at most 200 characters/],
    ['set D-1001 colour blue', /I can't set "colour"/],
  ];
  for (const [typed, message] of bad) {
    it(`"${typed.slice(0, 40)}" is refused with the field and the rule; nothing is stored`, async () => {
      const before = await stored();
      const said = await h.say(typed);
      assert.match(said.texts[0], message);
      assert.deepEqual(await stored(), before);
    });
  }

  it('Edit opens the form prefilled; Save stores every change in one step', async () => {
    const deal = await stored();
    const form = (await h.press('deal.edit', { dealId: 'D-1001', rev: deal.rev })).card!;
    assert.equal(inputs(form).title, 'Azure landing zone');
    assert.equal(inputs(form).currency, 'EUR');
    const save = button(form, 'Save');
    const saved = await h.press(save.verb, { ...save.data, ...inputs(form), value: '3m', nextStep: 'Sign SOW' });
    assert.match(cardText(saved.card!), /Saved\./);
    const after = await stored();
    assert.equal(after.value.amount, 3_000_000);
    assert.equal(after.nextStep, 'Sign SOW');
    assert.equal(after.rev, deal.rev + 1, 'one write for the whole edit');
  });

  it('a bad value on the edit form comes back on the form with the error; nothing is stored', async () => {
    const deal = await stored();
    const form = (await h.press('deal.edit', { dealId: 'D-1001', rev: deal.rev })).card!;
    const again = await h.press('deal.update', { ...button(form, 'Save').data, ...inputs(form), title: 'Fine', probability: 200 });
    assert.match(cardText(again.card!), /Probability: "200" must be a number from 0 to 100/);
    assert.deepEqual(await stored(), deal);
  });

  it('fact labels stay correct after edits', async () => {
    assert.equal(fact((await h.say('deal D-1001')).cards[0], 'NWS value'), '€3,000,000');
  });
});
