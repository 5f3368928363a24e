import { isDeepStrictEqual } from 'node:util';
import assert from 'node:assert/strict';
import { button, buttons, cardText, fact } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { contosoForm } from './deal-fixtures';
import { parseCommand } from '../../src/chat/parse-command';

describe('an SE finds a deal by id or by part of its title (through /api/messages)', () => {
  const h = new DealDeskHarness();
  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001
    await h.press('deal.create', { ...contosoForm, title: 'Premier Support renewal', account: 'Fabrikam' }); // D-1002
    await h.press('deal.create', { ...contosoForm, title: 'Premier Support uplift', account: 'Fabrikam' }); // D-1003
  });
  after(() => h.stop());

  for (const typed of ['deal D-1001', 'deal d-1001', 'deal 1001', 'D-1001', 'show   d1001', 'deal assessment', 'deal AZURE MIGRATION']) {
    it(`"${typed}" shows D-1001`, async () => {
      const card = (await h.say(typed)).cards[0];
      assert.match(cardText(card), /^D-1001 · Prospect$/m);
    });
  }

  it('the deal card shows what an SE needs and buttons that act on the deal', async () => {
    await h.say('set D-1001 next step Send the proposal draft');
    const card = (await h.say('deal D-1001')).cards[0];
    assert.match(cardText(card), /Azure migration assessment/);
    assert.equal(fact(card, 'Account'), 'Contoso Bank');
    assert.equal(fact(card, 'Owner'), 'Alex Wilber');
    assert.equal(fact(card, 'Stage'), 'Prospect');
    assert.equal(fact(card, 'NWS value'), '$1,500,000');
    assert.equal(fact(card, 'Close date'), 'Mar 31, 2027');
    assert.equal(fact(card, 'Probability (%)'), '40%');
    assert.equal(fact(card, 'Next step'), 'Send the proposal draft');
    assert.equal(fact(card, 'Service lines'), 'Consulting, Premier Support');
    assert.match(cardText(card), /Alex Wilber: changed Next step: Scoping workshop with the CIO → Send the proposal draft/);
    assert.match(cardText(card), /Alex Wilber: created the deal/);
    const titles = buttons(card).map((b) => b.title);
    assert.deepEqual(titles.slice(0, 4), ['Advance to Qualify', 'Edit', 'Close won', 'Close lost']);
    assert.deepEqual(button(card, 'Advance to Qualify').data, { dealId: 'D-1001', rev: 2 });
  });

  it('an ambiguous fragment lists the matches as buttons; choosing one continues the command', async () => {
    const card = (await h.say('deal premier support')).cards[0];
    assert.match(cardText(card), /Several deals match "premier support"/);
    const choices = buttons(card);
    assert.deepEqual(choices.map((b) => b.data.command), ['deal D-1002', 'deal D-1003'].map(parseCommand));
    const chosen = await h.press(choices[1].verb, choices[1].data);
    assert.match(cardText(chosen.card!), /^D-1003 · Prospect$/m);
  });

  it('an ambiguous move asks which deal, and the choice carries the move through', async () => {
    const card = (await h.say('move premier to qualify')).cards[0];
    const choice = buttons(card).find((b) => isDeepStrictEqual(b.data.command, parseCommand('move D-1002 to qualify')))!;
    const moved = await h.press(choice.verb, choice.data);
    assert.match(cardText(moved.card!), /Moved to Qualify\./);
    assert.equal((await h.store.deals.get('00000000-0000-0000-0000-000000000001', 'D-1002'))!.deal.stage, 'Qualify');
  });

  it('a choice card posted before buttons carried the typed command (its text form) still carries the move through', async () => {
    const moved = await h.press('command.run', { command: 'move D-1003 to qualify' });
    assert.match(cardText(moved.card!), /Moved to Qualify\./);
    assert.equal((await h.store.deals.get('00000000-0000-0000-0000-000000000001', 'D-1003'))!.deal.stage, 'Qualify');
  });

  it('no match gets a clear message', async () => {
    assert.match((await h.say('deal D-9999')).texts[0], /I can't find a deal matching "D-9999"/);
    assert.match((await h.say('deal blockchain')).texts[0], /I can't find a deal matching "blockchain"/);
  });

  it('"deal" alone explains how to name a deal', async () => {
    assert.match(cardText((await h.say('deal')).cards[0]), /Tell me which deal/);
  });

  it('a card press naming a deal that does not exist, or forged data, changes nothing and says so', async () => {
    assert.match((await h.press('deal.show', { dealId: 'D-424242' })).message!, /I can't find a deal matching "D-424242"/);
    assert.match((await h.press('deal.advance', { dealId: { $ne: 1 } })).message!, /out of date or incomplete/);
    assert.match((await h.press('no.such.verb', {})).message!, /out of date or incomplete/);
  });
});
