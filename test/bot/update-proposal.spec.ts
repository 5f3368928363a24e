import assert from 'node:assert/strict';
import { button, cardText, inputs } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

const ENGLISH = 'Met Dana at Contoso, budget confirmed at 1.2m, moving to solution, they want to sign by end of March';
const CHINESE = 'Contoso 预算确认 120万，推进到方案阶段，3月底签约';

/** The proposal card's rows as a person reads them: tick box id → [ticked, value]. */
const rowsOf = (card: Record<string, any>) => {
  const all = inputs(card);
  return Object.fromEntries(Object.keys(all).filter((k) => k.startsWith('on.')).map((k) => [k.slice(3), all[`in.${k.slice(3)}`]]));
};

describe('issue 21 §1: an update in the user\'s own words becomes a proposal to confirm (through /api/messages)', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness();
  const stored = async (id = 'D-1001') => (await h.store.deals.get(TENANT, id))!.deal;
  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001, Alex's
    await h.press('deal.create', { ...contosoForm, account: 'Fabrikam', title: 'SAP landing zone' }, { as: 'megan' }); // D-1002, Megan's
  });
  after(() => h.stop());

  /** Says the English example and returns the proposal card, checking nothing was changed by saying it. */
  async function propose(text = ENGLISH, locale?: string) {
    const before = await stored();
    const said = await h.say(text, { locale });
    assert.equal(said.status, 200);
    assert.equal(said.cards.length, 1, said.texts.join('\n'));
    assert.deepEqual(await stored(), before, 'saying it changes nothing');
    return said.cards[0];
  }

  it('the English example: the deal recognised, each change a ticked row with its value and the words it came from', async () => {
    const card = await propose();
    const text = cardText(card);
    assert.match(text, /Here is what I understood/);
    assert.match(text, /Deal: D-1001 · Azure migration assessment · Contoso Bank · Prospect/);
    assert.deepEqual(rowsOf(card), { stage: 'Solution', closeDate: '2027-03-31', budget: 'confirmed at 1.2m', note: 'Met Dana at Contoso' });
    for (const tick of ['on.stage', 'on.closeDate', 'on.budget', 'on.note']) assert.equal(inputs(card)[tick], 'true', `${tick} ticked by default`);
    assert.match(text, /“moving to solution”/);
    assert.match(text, /“by end of March”/);
    assert.match(text, /“budget confirmed at 1.2m”/);
    assert.deepEqual(buttons(card), ['Apply', 'Cancel']);
    assert.equal((card.msteams as { width?: string }).width, 'Full');
    assert.match(String(card.speak), /^Here is what I understood/);
  });

  it('the Chinese example, for a user whose language is Chinese: the card in Chinese with the same rows', async () => {
    const card = await propose(CHINESE, 'zh-CN');
    const text = cardText(card);
    assert.match(text, /我理解到的更新/);
    assert.match(text, /商机：D-1001 · Azure migration assessment · Contoso Bank · 初步接触|商机：D-1001/);
    assert.deepEqual(rowsOf(card), { stage: 'Solution', closeDate: '2027-03-31', budget: '确认 120万' });
    assert.deepEqual(buttons(card), ['应用', '取消']);
    assert.match(text, /“3月底”/);
  });

  it('Apply with one row unticked and one value edited: the deal holds exactly the ticked values, in one write, with history and an alert', async () => {
    const card = await propose();
    const before = await stored();
    const apply = button(card, 'Apply');
    const pressed = await h.press(apply.verb, { ...apply.data, ...inputs(card), 'on.stage': 'false', 'in.closeDate': '2027-04-15' });
    assert.match(cardText(pressed.card!), /Applied: Close date, Budget, Note\./);
    const after = await stored();
    assert.equal(after.stage, 'Prospect', 'the unticked move was not made');
    assert.equal(after.closeDate, '2027-04-15', 'the edited value, not the proposed one');
    assert.equal(after.evidence.budget, 'confirmed at 1.2m');
    assert.equal(after.rev, before.rev + 1, 'one write');
    const added = after.history.slice(before.history.length).map((e) => e.change);
    assert.deepEqual(added, [
      { kind: 'field', field: 'closeDate', from: '2027-03-31', to: '2027-04-15' },
      { kind: 'field', field: 'budget', from: '', to: 'confirmed at 1.2m' },
      { kind: 'note', text: 'Met Dana at Contoso' },
    ]);
    assert.equal(after.alertSeq, before.alertSeq + 1, 'the change raised an alert');

    // The same press again (a double click, a retried invoke): nothing more.
    const again = await h.press(apply.verb, { ...apply.data, ...inputs(card), 'on.stage': 'false', 'in.closeDate': '2027-04-15' });
    assert.match(cardText(again.card!), /applied already; nothing more changed/);
    const replayed = await stored();
    assert.equal(replayed.rev, after.rev, 'no second write');
    assert.deepEqual(replayed.history, after.history);
  });

  it('Cancel: the card says so and nothing is changed', async () => {
    const card = await propose();
    const before = await stored();
    const cancel = button(card, 'Cancel');
    const pressed = await h.press(cancel.verb, cancel.data);
    assert.match(cardText(pressed.card!), /Cancelled/);
    assert.deepEqual(await stored(), before);
  });

  it('a move whose gate is not met: the gate card a `move` gives, and nothing applied', async () => {
    const card = await propose();
    const before = await stored();
    const apply = button(card, 'Apply');
    const pressed = await h.press(apply.verb, { ...apply.data, ...inputs(card) });
    const text = cardText(pressed.card!);
    assert.match(text, /Move D-1001 to Solution/);
    assert.match(text, /I need: Business decision maker \(BDM\), Technical decision maker \(TDM\)/);
    assert.equal(inputs(pressed.card!).budget, 'confirmed at 1.2m', 'what the proposal read is kept on the gate card');
    assert.deepEqual(await stored(), before);
  });

  describe('a forged Apply is refused clearly, and changes nothing', () => {
    const forgeries: Array<[string, (data: Record<string, unknown>) => Record<string, unknown>, RegExp]> = [
      ["another user's deal", (d) => ({ ...d, dealId: 'D-1002' }), /Only Megan Bowen, who owns D-1002, can change it/],
      ['a value that fails validation', (d) => ({ ...d, 'on.probability': 'true', 'in.probability': '150' }), /Probability: "150" must be a number from 0 to 100/],
      ['an unknown field', (d) => ({ ...d, 'on.colour': 'true', 'in.colour': 'blue' }), /I can't set "colour"/],
      ['an unknown stage', (d) => ({ ...d, 'in.stage': 'Heaven' }), /"Heaven" isn't a stage/],
      ['a forged proposal id', (d) => ({ ...d, proposalId: '../x' }), /That card is out of date or incomplete/],
      ['no deal at all', (d) => ({ ...d, dealId: '' }), /That card is out of date or incomplete/],
    ];
    for (const [what, forge, refusal] of forgeries) {
      it(what, async () => {
        const card = await propose();
        const mine = await stored();
        const theirs = await stored('D-1002');
        const apply = button(card, 'Apply');
        const pressed = await h.press(apply.verb, forge({ ...apply.data, ...inputs(card), 'on.stage': 'true' }));
        assert.equal(pressed.status, 200);
        assert.match(String(pressed.message ?? ''), refusal);
        assert.deepEqual(await stored(), mine);
        assert.deepEqual(await stored('D-1002'), theirs);
      });
    }
  });

  it('a message it cannot read at all: "I didn\'t get that", as before', async () => {
    const said = await h.say('what a lovely morning it is');
    assert.match(cardText(said.cards[0]), /I didn't get that\./);
    assert.doesNotMatch(cardText(said.cards[0]), /understood/);
  });

  it("the reader sees only the user's own deals: Megan's Fabrikam deal is not proposed to Alex", async () => {
    const said = await h.say('Fabrikam probability 70%');
    const card = said.cards[0];
    assert.doesNotMatch(JSON.stringify(card), /D-1002/);
    // The change was read; the deal to apply it to is Alex's to choose, among his own.
    const choice = JSON.stringify(card.body.find((e: { id?: string }) => e.id === 'deal'));
    assert.match(choice, /Which deal is this about\?/);
    assert.match(choice, /"value":"D-1001"/);
    assert.deepEqual(rowsOf(card), { probability: 70 });
    // Alex picks his deal and applies: the chosen deal takes the change.
    const apply = button(card, 'Apply');
    const pressed = await h.press(apply.verb, { ...apply.data, ...inputs(card), deal: 'D-1001' });
    assert.match(cardText(pressed.card!), /Applied: Probability \(%\)\./);
    assert.equal((await stored()).probability, 70);
    assert.equal((await stored('D-1002')).probability, 40);
  });

  it('in a channel, where everyone sees the card, a message naming no deal lists none of the user\'s deals', async () => {
    const said = await h.sayInChannel('probability 80%');
    assert.equal(said.cards.length, 1);
    assert.doesNotMatch(JSON.stringify(said.cards[0]), /D-1001|Contoso/);
    assert.match(cardText(said.cards[0]), /I didn't get that\./);
    // Naming the deal there is the user's choice: the proposal shows that deal.
    const named = await h.sayInChannel('D-1001 probability 80%');
    assert.deepEqual(rowsOf(named.cards[0]), { probability: 80 });
    assert.equal((await stored()).probability, 70, 'nothing changes without a press');
  });
});

const buttons = (card: Record<string, any>) => (card.actions as Array<{ title: string }>).map((a) => a.title);
