import assert from 'node:assert/strict';
import { buttons, cardText, inputs } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';
import { USERS } from '../support/activities';

/**
 * Issue 18: closing a complex deal Won while its approval is under way. The owner hears once what is pending (which
 * level, with whom, since when), keeps everything typed, and gets no button that could only be refused.
 */
describe('closing Won while the approval is under way (through /api/messages)', function () {
  this.timeout(20_000);
  const h = new DealDeskHarness({ ADMINS: USERS.alex.aadObjectId });
  const stored = async () => (await h.store.deals.get(TENANT, 'D-1001'))!.deal;
  const typed = { bdm: 'Dana Li, CFO', tdm: 'Wei Chen, CTO', budget: 'FY27 USD 7M', solutionOutline: 'Landing zone, then waves of 40 apps', proposalRef: 'SOW-2027-014', finalValue: '6.2m' };

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele'] as const) await h.say('help', { as });
    await h.sayInChannel('approvals here');
    await h.say('set approvers 1 megan bowen, adele vance any');
    await h.say('set approvers 2 megan bowen');
    await h.press('deal.create', { ...contosoForm, value: '6.2m' }); // D-1001: complex (NWS 6.2M, two service lines)
  });
  after(() => h.stop());

  it('an open gate card submitted after the request: one line says what is pending, the typed evidence is stored, no Move button', async () => {
    const gateBefore = (await h.press('deal.closeWon', { dealId: 'D-1001' })).card!; // asked before the request
    assert.ok('proposalRef' in inputs(gateBefore));
    await h.say('request approval D-1001');
    const rev = (await stored()).rev;
    const pressed = await h.press('deal.move', { dealId: 'D-1001', rev, target: 'Won', ...typed });
    const card = pressed.card!;
    const text = cardText(card);
    assert.match(text, /^D-1001 can't close Won until its approval is decided: it is waiting for level 1 · Services manager, any one of: Megan Bowen, Adele Vance, since Nov 26, 2026, 9:\d\d AM UTC\.$/m, text);
    assert.doesNotMatch(text, /I need|still need|under way/, 'the pending approval is said once');
    assert.match(text, /^Saved on the deal: Business decision maker \(BDM\), Technical decision maker \(TDM\), Budget, Solution outline, Proposal \/ SOW reference\.$/m, text);
    assert.deepEqual(buttons(card).map((b) => [b.title, b.verb]), [['Audit trail', 'command.run'], ['Open deal', 'deal.show']]);
    assert.deepEqual(Object.keys(inputs(card)), []);
    const deal = await stored();
    assert.deepEqual(deal.evidence, { bdm: typed.bdm, tdm: typed.tdm, budget: typed.budget, solutionOutline: typed.solutionOutline, proposalRef: typed.proposalRef });
    assert.equal(deal.stage, 'Prospect');
    assert.equal(deal.rev, rev + 1, 'one write');
  });

  it('Close won again while it is pending: the same one line, nothing saved, and the deal card has no Close won button', async () => {
    const card = (await h.say('close D-1001 won')).cards[0];
    assert.match(cardText(card), /can't close Won until its approval is decided/);
    assert.doesNotMatch(cardText(card), /Saved on the deal/);
    assert.ok(!buttons(card).some((b) => b.verb === 'deal.move'));
    const dealCard = (await h.say('deal D-1001')).cards[0];
    assert.deepEqual(buttons(dealCard).map((b) => b.title).filter((t) => /Close/.test(t)), ['Close lost']);
  });

  it('in Chinese too', async () => {
    const card = (await h.say('close D-1001 won', { locale: 'zh-CN' })).cards[0];
    assert.match(cardText(card), /D-1001 的审批尚未有结果，暂不能赢单关闭：自 .* 起等待审批层级 1 · /);
    assert.deepEqual(buttons(card).map((b) => b.title), ['审批记录', '打开商机'].map((t) => t));
  });

  it('any other gate keeps what was typed on the form for the next try, and names what is missing once', async () => {
    await h.press('deal.create', { ...contosoForm, title: 'Small one', value: '200k', serviceLines: 'Consulting' }); // D-1002
    const card = (await h.press('deal.move', { dealId: 'D-1002', target: 'Solution', bdm: 'Dana Li, CFO', tdm: '', budget: '' })).card!;
    assert.deepEqual(inputs(card), { bdm: 'Dana Li, CFO', tdm: '', budget: '' });
    assert.match(cardText(card), /I need: Technical decision maker \(TDM\), Budget\./);
    assert.doesNotMatch(cardText(card), /still need/);
    assert.ok(buttons(card).some((b) => b.verb === 'deal.move'), 'this move can succeed once filled in');
  });
});
