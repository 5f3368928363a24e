import assert from 'node:assert/strict';
import { buttons, cardText, inputs } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';
import { USERS } from '../support/activities';

type Node = Record<string, any>;

/** Whether Teams would make each input of the card required before sending an action that gathers it. */
function required(card: Node): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const node = n as Node;
      if (typeof node.type === 'string' && node.type.startsWith('Input.')) out[node.id] = node.isRequired === true;
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/**
 * Issue 18, item 1: no button that cannot succeed. A complex deal with no approval round yet cannot close Won
 * however its gate card is filled in, so that card offers Request approval instead of Move, keeps its inputs
 * (none required, so Teams sends a partly filled form), and the request stores what was typed in the same write
 * that starts the round.
 */
describe('Close won on a complex deal with no approval yet: Request approval, not a Move that is refused (through /api/messages)', function () {
  this.timeout(20_000);
  const h = new DealDeskHarness({ ADMINS: USERS.alex.aadObjectId });
  const stored = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal;
  const typed = { bdm: 'Dana Li, CFO', tdm: 'Wei Chen, CTO', budget: 'FY27 USD 7M', solutionOutline: '', proposalRef: 'SOW-2027-014', finalValue: '6.2m' };

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele'] as const) await h.say('help', { as });
    await h.sayInChannel('approvals here');
    await h.say('set approvers 1 megan bowen, adele vance any');
    await h.say('set approvers 2 megan bowen');
    await h.press('deal.create', { ...contosoForm, value: '6.2m' }); // D-1001: complex (NWS 6.2M, two service lines)
    await h.press('deal.create', { ...contosoForm, title: 'Small one', value: '200k', serviceLines: 'Consulting' }); // D-1002: not complex
  });
  after(() => h.stop());

  it("the deal card's Close won opens a gate card with Request approval and no Move, its inputs kept but not required", async () => {
    const dealCard = (await h.say('deal D-1001')).cards[0];
    const closeWon = buttons(dealCard).find((b) => b.verb === 'deal.closeWon');
    assert.ok(closeWon, 'the deal card offers Close won');
    const card = (await h.press('deal.closeWon', closeWon.data)).card!;
    assert.deepEqual(buttons(card).map((b) => [b.title, b.verb]), [['Request approval', 'approval.request'], ['Cancel', 'deal.show']]);
    assert.deepEqual(Object.keys(inputs(card)), ['bdm', 'tdm', 'budget', 'solutionOutline', 'proposalRef', 'finalValue']);
    assert.ok(Object.values(required(card)).every((r) => !r), 'Teams would refuse to send a partly filled request');
    const request = card.actions.find((a: Node) => a.verb === 'approval.request');
    assert.equal(request.associatedInputs ?? 'auto', 'auto', 'the request carries what is typed');
    const text = cardText(card);
    assert.match(text, /^Closing "Azure migration assessment" Won will also need: Business decision maker \(BDM\), Technical decision maker \(TDM\), Budget, Solution outline, Proposal \/ SOW reference, Final NWS value\. Request approval first: what you fill in here is saved on the deal with the request, and you close it Won once it is approved\.$/m, text);
    assert.match(text, /D-1001 is a complex deal: closing it Won needs its approval round approved\./);
  });

  it('pressing Request approval with the typed evidence starts the round and stores the evidence in one write', async () => {
    const before = await stored('D-1001');
    const pressed = await h.press('approval.request', { dealId: 'D-1001', rev: before.rev, value: '', ...typed });
    const text = cardText(pressed.card!);
    assert.match(text, /Saved on the deal: Business decision maker \(BDM\), Technical decision maker \(TDM\), Budget, Proposal \/ SOW reference\./, text);
    const deal = await stored('D-1001');
    assert.equal(deal.approval?.status, 'pending');
    assert.deepEqual(deal.evidence, { bdm: typed.bdm, tdm: typed.tdm, budget: typed.budget, proposalRef: typed.proposalRef });
    assert.equal(deal.stage, 'Prospect');
    assert.equal(deal.rev, before.rev + 1, 'one write: the round and the evidence together');
  });

  it('a non-complex deal keeps its gate: Move to Closed won, required inputs, no Request approval', async () => {
    const card = (await h.press('deal.closeWon', { dealId: 'D-1002' })).card!;
    assert.deepEqual(buttons(card).map((b) => b.verb), ['deal.move', 'deal.show']);
    assert.equal(buttons(card)[0].title, 'Move to Closed won');
    assert.ok(Object.values(required(card)).every((r) => r));
    assert.doesNotMatch(cardText(card), /Request approval/);
  });

  it('in Chinese too', async () => {
    await h.press('deal.create', { ...contosoForm, title: '大单', value: '6.2m' }, { locale: 'zh-CN' }); // D-1003: complex
    const card = (await h.press('deal.closeWon', { dealId: 'D-1003' }, { locale: 'zh-CN' })).card!;
    assert.deepEqual(buttons(card).map((b) => [b.title, b.verb]), [['申请审批', 'approval.request'], ['取消', 'deal.show']]);
    assert.ok(Object.values(required(card)).every((r) => !r));
    assert.match(cardText(card), /^“大单”赢单关闭还需要：.*最终.*。请先申请审批：在此填写的内容会随申请一起保存到商机，审批通过后即可赢单关闭。$/m, cardText(card));
    const rev = (await stored('D-1003')).rev;
    const pressed = await h.press('approval.request', { dealId: 'D-1003', rev, value: '', ...typed, finalValue: '' }, { locale: 'zh-CN' });
    assert.match(cardText(pressed.card!), /已保存到商机：/);
    const deal = await stored('D-1003');
    assert.equal(deal.approval?.status, 'pending');
    assert.equal(deal.evidence.bdm, typed.bdm);
    assert.equal(deal.rev, rev + 1);
  });
});
