import assert from 'node:assert/strict';
import { button, cardText, fact, inputs } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

describe('an SE moves a deal through the stages, gates enforced (through /api/messages)', () => {
  const h = new DealDeskHarness();
  const stored = async (id = 'D-1001') => (await h.store.deals.get(TENANT, id))!.deal;
  beforeEach(async () => {
    await h.start();
    await h.press('deal.create', contosoForm);
  });
  afterEach(() => h.stop());

  it('Prospect → Qualify has no gate: "move D-1001 to qualify" moves it', async () => {
    const card = (await h.say('move D-1001 to qualify')).cards[0];
    assert.match(cardText(card), /Moved to Qualify\./);
    assert.equal(fact(card, 'Stage'), 'Qualify');
    assert.equal((await stored()).stage, 'Qualify');
  });

  it('leaving Qualify asks for BDM, TDM and budget on a card, and submitting it completes the move', async () => {
    await h.say('move D-1001 to qualify');
    const gate = (await h.say('move D-1001 to solution')).cards[0];
    assert.match(cardText(gate), /I need: Business decision maker \(BDM\), Technical decision maker \(TDM\), Budget\./);
    assert.deepEqual(Object.keys(inputs(gate)), ['bdm', 'tdm', 'budget']);
    assert.equal((await stored()).stage, 'Qualify', 'nothing moved yet');

    const submit = button(gate, 'Move to Solution');
    const done = await h.press(submit.verb, { ...submit.data, bdm: 'Dana Li, COO', tdm: 'Wei Zhang, CTO', budget: 'USD 2M approved' });
    assert.match(cardText(done.card!), /Moved to Solution\./);
    const deal = await stored();
    assert.equal(deal.stage, 'Solution');
    assert.deepEqual(deal.evidence, { bdm: 'Dana Li, COO', tdm: 'Wei Zhang, CTO', budget: 'USD 2M approved' });
    assert.deepEqual(deal.history.at(-1)!.change, { kind: 'stage', from: 'Qualify', to: 'Solution' });
  });

  it('the Advance button follows the same gates: Solution needs an outline, Proof a proposal reference', async () => {
    await h.say('set D-1001 bdm Dana Li');
    await h.say('set D-1001 tdm Wei Zhang');
    await h.say('set D-1001 budget approved');
    let card = (await h.say('move D-1001 to solution')).cards[0];
    assert.equal(fact(card, 'Stage'), 'Solution', 'evidence given earlier counts');

    let pressed = await h.press('deal.advance', button(card, 'Advance to Proof').data);
    assert.deepEqual(Object.keys(inputs(pressed.card!)), ['solutionOutline']);
    pressed = await h.press('deal.move', { ...button(pressed.card!, 'Move to Proof').data, solutionOutline: 'Landing zone + 3 waves' });
    assert.equal(fact(pressed.card!, 'Stage'), 'Proof');
    assert.equal((await stored()).stage, 'Proof');
    card = pressed.card!;
    assert.throws(() => button(card, /Advance/), 'from Proof the next step is closing, with its own buttons');
  });

  it('skipping stages passes every gate on the way', async () => {
    const gate = (await h.say('move D-1001 to proof')).cards[0];
    assert.deepEqual(Object.keys(inputs(gate)), ['bdm', 'tdm', 'budget', 'solutionOutline']);
  });

  it('moving backwards needs a reason: without one a card asks for it, with one it moves and keeps the reason', async () => {
    await h.say('move D-1001 to qualify');
    const ask = (await h.say('move D-1001 to prospect')).cards[0];
    assert.match(cardText(ask), /Tell me why/);
    assert.deepEqual(Object.keys(inputs(ask)), ['note']);
    assert.equal((await stored()).stage, 'Qualify');

    const card = (await h.say('move D-1001 to prospect customer re-scoped the project')).cards[0];
    assert.equal(fact(card, 'Stage'), 'Prospect');
    assert.match(cardText(card), /moved Qualify → Prospect \(customer re-scoped the project\)/);
  });

  it('closing won confirms the final NWS value (and the gates not yet passed); the value is stored', async () => {
    // A deal the approval policy does not call complex (under 1M USD, one service line); approvals have their own tests.
    await h.press('deal.create', { ...contosoForm, value: '900k', serviceLines: 'Consulting' }); // D-1002
    const gate = (await h.press('deal.closeWon', { dealId: 'D-1002', rev: 1 })).card!;
    assert.deepEqual(Object.keys(inputs(gate)), ['bdm', 'tdm', 'budget', 'solutionOutline', 'proposalRef', 'finalValue']);
    assert.equal(inputs(gate).finalValue, '900000', 'prefilled with the current value');
    const done = await h.press('deal.move', {
      ...button(gate, 'Move to Closed won').data,
      bdm: 'Dana', tdm: 'Wei', budget: 'yes', solutionOutline: 'outline', proposalRef: 'SOW-1', finalValue: '950k',
    });
    assert.match(cardText(done.card!), /Moved to Closed won\./);
    const deal = await stored('D-1002');
    assert.equal(deal.stage, 'Close');
    assert.equal(deal.outcome, 'Won');
    assert.equal(deal.value.amount, 950_000);
    assert.equal(deal.probability, 100);
    assert.deepEqual(done.card!.actions.map((a: any) => a.title), ['My deals'], 'a closed deal offers no stage buttons');
  });

  it('"close D-1001 lost" asks why; "close D-1001 lost budget cut" closes it with the reason', async () => {
    const ask = (await h.say('close D-1001 lost')).cards[0];
    assert.deepEqual(Object.keys(inputs(ask)), ['note']);
    const card = (await h.say('close D-1001 lost budget cut')).cards[0];
    assert.equal(fact(card, 'Stage'), 'Closed lost');
    assert.equal(fact(card, 'Reason'), 'budget cut');
    const deal = await stored();
    assert.deepEqual([deal.stage, deal.outcome, deal.closeReason, deal.probability], ['Close', 'Lost', 'budget cut', 0]);
  });

  it('a reason over 500 characters is told as too long, not as missing (DEAL.REASON_TOO_LONG); nothing changes', async () => {
    const long = 'budget '.repeat(80).trim();
    assert.match((await h.say(`close D-1001 lost ${long}`)).texts[0], /^Reason: it can be at most 500 characters\.$/);
    assert.match((await h.say(`close D-1001 lost ${long}`, { locale: 'zh-CN' })).texts[0], /^原因：最多 500 个字符。$/);
    assert.equal((await stored()).rev, 1);
  });

  it('unknown stages, "close" without an outcome and the same stage are explained; nothing changes', async () => {
    assert.match((await h.say('move D-1001 to negotiation')).texts[0], /"negotiation" isn't a stage\. Stages: Prospect, Qualify, Solution, Proof/);
    assert.match((await h.say('move D-1001 to close')).texts[0], /Closing needs an outcome/);
    assert.match((await h.say('move D-1001 to prospect')).texts[0], /D-1001 is already at Prospect\./);
    assert.match(cardText((await h.say('move D-1001')).cards[0]), /Usage: `move <deal> to <stage> \[note\]`/);
    assert.equal((await stored()).rev, 1);
  });

  it('a press on a card older than the deal shows the current deal and changes nothing', async () => {
    await h.say('move D-1001 to qualify'); // rev 2
    const stale = await h.press('deal.advance', { dealId: 'D-1001', rev: 1 });
    assert.match(cardText(stale.card!), /changed since that card was shown/);
    assert.equal(fact(stale.card!, 'Stage'), 'Qualify');
    assert.equal((await stored()).rev, 2);
  });

  it('only the owner may move a deal; anyone else gets a clear refusal', async () => {
    const said = await h.say('move D-1001 to qualify', { as: 'megan' });
    assert.match(said.texts[0], /Only Alex Wilber, who owns D-1001, can change it\./);
    assert.equal((await stored()).stage, 'Prospect');
  });

  it('speaks Chinese to a zh-CN user', async () => {
    const card = (await h.say('move D-1001 to qualify', { locale: 'zh-CN' })).cards[0];
    assert.match(cardText(card), /已推进到资格确认。/);
    assert.equal(fact(card, '阶段'), '资格确认');
  });
});
