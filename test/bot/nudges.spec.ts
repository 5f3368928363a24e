import assert from 'node:assert/strict';
import { buttons, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { waitFor } from '../support/wait-for';
import { contosoForm, TENANT } from './deal-fixtures';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ME = 'a:personal-alex';

describe('stale-deal nudges through /api/messages: the daily card, its one-click fixes, `stale`', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness();
  const nudgesIn = () => h.connector.messagesTo(ME).filter((m) => !m.replyToId).flatMap((m) => (m.attachments ?? []).map((a: any) => a.content)).filter((c) => /Deals that need a look/.test(cardText(c)));
  const fixOf = (card: any, verb: string, dealId: string) => {
    const found = buttons(card).find((b) => b.verb === verb && b.data.dealId === dealId);
    assert.ok(found, `${verb} for ${dealId} on the card`);
    return found.data;
  };
  const deal = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal;
  let card: any;
  let firstCard: any;

  before(async () => {
    await h.start();
    await h.say('help'); // the first turn schedules Alex's digest and nudge
    await h.say('help', { as: 'megan' });
    for (const title of ['Stale one', 'Stale two', 'Stale three', 'Stale four']) await h.press('deal.create', { ...contosoForm, title });
  });
  after(() => h.stop());

  it('15 days unchanged: one nudge card in the owner\'s 1:1 after 09:00, each deal recorded as nudged', async () => {
    h.advance(15 * DAY);
    card = await waitFor('the nudge card', () => nudgesIn()[0]);
    firstCard = card;
    const text = cardText(card);
    assert.match(text, /4 of your open deals look stale/);
    for (const id of ['D-1001', 'D-1002', 'D-1003', 'D-1004']) assert.match(text, new RegExp(`${id} · Stale`));
    assert.match(text, /No change for 15 days/);
    await waitFor('lastAt recorded', async () => (await deal('D-1004')).nudge?.lastAt);
    assert.equal(nudgesIn().length, 1);
  });

  it('bad or forged card data: a clear message, nothing stored', async () => {
    const push = fixOf(card, 'nudge.push', 'D-1001');
    const before = await deal('D-1001');
    const forged = await h.press('nudge.push', push, { as: 'megan' });
    assert.match(forged.message ?? '', /Only Alex Wilber, who owns D-1001, can change it\./);
    const unknown = await h.press('nudge.push', { ...push, dealId: 'D-9999', deals: `${push.deals},D-9999` });
    assert.match(unknown.message ?? '', /can't find a deal matching "D-9999"/);
    const notListed = await h.press('nudge.push', { ...push, deals: 'D-1002' });
    assert.match(notListed.message ?? '', /That card is out of date or incomplete/);
    const noRev = await h.press('nudge.snooze', { dealId: 'D-1001', deals: push.deals });
    assert.match(noRev.message ?? '', /That card is out of date or incomplete/);
    const stale = await h.press('nudge.push', { ...push, rev: push.rev - 1 });
    assert.match(cardText(stale.card!), /D-1001 changed since this card was shown, so nothing was changed/);
    assert.deepEqual(await deal('D-1001'), before, 'nothing stored');
  });

  it('Push close date +30 days: applied in place, the card shows it fixed, the deal is stored changed', async () => {
    const pressed = await h.press('nudge.push', fixOf(card, 'nudge.push', 'D-1001'));
    const text = cardText(pressed.card!);
    assert.match(text, /D-1001 · Stale one[\s\S]*✓ Close date moved to 30 Apr/);
    assert.match(text, /3 of your open deals look stale/);
    assert.equal((await deal('D-1001')).closeDate, '2027-04-30');
    card = pressed.card;
  });

  it('Snooze 7 days: in place, stored, no alert', async () => {
    const pressed = await h.press('nudge.snooze', fixOf(card, 'nudge.snooze', 'D-1002'));
    assert.match(cardText(pressed.card!), /D-1002 · Stale two[\s\S]*✓ Snoozed until \d+ Dec/);
    const stored = await deal('D-1002');
    assert.ok(stored.nudge?.snoozedUntil && Date.parse(stored.nudge.snoozedUntil) > h.clock.now().getTime() + 6 * DAY);
    assert.deepEqual(stored.outbox, []);
    card = pressed.card;
  });

  it('Update stage answers with the deal card and its stage buttons; Close lost with the gate card, which closes it', async () => {
    const stage = await h.press('nudge.stage', fixOf(card, 'nudge.stage', 'D-1003'));
    assert.ok(buttons(stage.card!).some((b) => b.verb === 'deal.advance' && b.data.dealId === 'D-1003'));
    const lost = await h.press('nudge.closeLost', fixOf(card, 'nudge.closeLost', 'D-1004'));
    const submit = buttons(lost.card!).find((b) => b.verb === 'deal.move');
    assert.ok(submit, cardText(lost.card!));
    await h.press('deal.move', { ...submit.data, note: 'Customer chose a partner' });
    assert.equal((await deal('D-1004')).outcome, 'Lost');
    const again = await h.press('nudge.snooze', fixOf(firstCard, 'nudge.snooze', 'D-1001'));
    assert.match(cardText(again.card!), /D-1001 changed since this card was shown/, 'an old card row is recognised');
    assert.match(cardText(again.card!), /✓ Closed lost|✓ Close.*Lost|✓ .*[Ll]ost/);
  });

  it('`stale` shows the card on demand: snoozed and fixed deals are not on it', async () => {
    const said = await h.say('stale');
    const text = cardText(said.cards[0]);
    assert.match(text, /D-1003 · Stale three/);
    assert.doesNotMatch(text, /D-1001|D-1002|D-1004/);
  });

  it('at most one nudge per deal per week, snoozed deals skipped', async () => {
    h.advance(DAY);
    await h.app.scheduler.runOnce();
    await h.app.notifier.runOnce();
    assert.equal(nudgesIn().length, 1, 'no second nudge the next day');
    h.advance(6 * DAY - HOUR / 2); // a week after the first nudge (less the run's slack), still within the snooze
    const second = await waitFor('the weekly nudge', () => nudgesIn()[1]);
    assert.match(cardText(second), /D-1003 · Stale three/);
    assert.doesNotMatch(cardText(second), /D-1002/, 'still snoozed');
  });
});
