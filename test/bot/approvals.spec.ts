import assert from 'node:assert/strict';
import { button, buttons, cardText, inputs } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';
import { USERS, type UserKey } from '../support/activities';

describe('managers approve complex deals (through /api/messages)', function () {
  this.timeout(20_000);
  // Alex (the owner) and Megan Smith are admins; Lynne Robbins is nobody in particular.
  const h = new DealDeskHarness({ ADMINS: `${USERS.alex.aadObjectId},${USERS.megan2.aadObjectId}` });
  const stored = async (id = 'D-1001') => (await h.store.deals.get(TENANT, id))!.deal;
  const decide = (as: UserKey, decision: string, comment = '', extra: Record<string, unknown> = {}) =>
    h.press('approval.decide', { dealId: 'D-1001', round: 1, levelId: 'manager', decision, comment, ...extra }, { as });

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele', 'isaiah', 'patti', 'megan2', 'lynne'] as const) await h.say('help', { as });
    await h.press('deal.create', { ...contosoForm, value: '6.2m' }); // D-1001: NWS 6.2M, two service lines
    await h.press('deal.create', { ...contosoForm, title: 'Small one', value: '200k', serviceLines: 'Consulting' }); // D-1002: not complex
  });
  after(() => h.stop());

  it('before any set-up, requesting approval explains what is missing', async () => {
    assert.match((await h.say('request approval D-1001')).texts[0], /There is no approvals channel yet/);
  });

  it('only an admin may set the approvals channel and the approvers', async () => {
    const refused = await h.sayInChannel('approvals here', { as: 'megan' });
    assert.match(refused.texts[0], /Only a DealDesk admin can do that\./, JSON.stringify(refused).slice(0, 400));
    assert.match((await h.say('set approvers 1 megan', { as: 'megan' })).texts[0], /Only a DealDesk admin/);
    const card = (await h.sayInChannel('approvals here')).cards[0]; // Alex is an admin in local mode
    assert.match(cardText(card), /This channel is now the approvals channel\./);
  });

  it('an admin sets the approvers of each level, any one or all', async () => {
    await h.say('set approvers 1 megan bowen, adele vance any');
    await h.say('set approvers 2 isaiah and patti all');
    const card = (await h.say('set approvers 3 megan smith')).cards[0];
    const text = cardText(card);
    assert.match(text, /1\. Services manager: any one of: Megan Bowen, Adele Vance/);
    assert.match(text, /2\. Director: all of: Isaiah Langer, Patti Fernandez/);
    assert.match(text, /3\. Deal desk: any one of: Megan Smith/);
  });

  it('a deal the policy does not call complex needs no approval', async () => {
    assert.match((await h.say('request approval D-1002')).texts[0], /D-1002 is not a complex deal/);
  });

  it('a complex deal cannot close Won before approval; the gate card offers Request approval', async () => {
    const gate = (await h.press('deal.closeWon', { dealId: 'D-1001' })).card!;
    assert.match(cardText(gate), /D-1001 is a complex deal: closing it Won needs its approval round approved\./);
    assert.deepEqual([button(gate, 'Request approval').verb, button(gate, 'Request approval').data], ['approval.request', { dealId: 'D-1001', rev: 1, value: '' }]);
    assert.ok(!buttons(gate).some((b) => b.verb === 'deal.move'), 'no Move button that could only be refused');
  });

  it('the owner requests approval: the card shows the reasons, the levels in order, and the decision buttons', async () => {
    const card = (await h.say('request approval D-1001 please before quarter end')).cards[0];
    const text = cardText(card);
    assert.match(text, /Approval requested\./);
    assert.match(text, /NWS \$6,200,000 ≥ \$1,000,000 → Services manager/);
    assert.match(text, /NWS \$6,200,000 ≥ \$5,000,000 → Director/);
    assert.match(text, /2 service lines → Services manager/);
    assert.match(text, /1\. Services manager \(any one of: Megan Bowen, Adele Vance\) · deciding now/);
    assert.match(text, /2\. Director \(all of: Isaiah Langer, Patti Fernandez\) · waiting/);
    assert.match(text, /Note from Alex Wilber: please before quarter end/);
    assert.deepEqual(buttons(card).map((b) => b.title).slice(0, 3), ['Approve', 'Reject', 'Request changes']);
    assert.ok('comment' in inputs(card));
    const deal = await stored();
    assert.equal(deal.approval?.status, 'pending');
    assert.deepEqual(deal.approvalTrail.map((e) => e.event), ['requested']);
    assert.match((await h.say('request approval D-1001')).texts[0], /already has an approval under way/);
  });

  it('approvers of the current level get their own view (refresh.userIds); everyone else the base card', async () => {
    const card = (await h.say('approval D-1001')).cards[0];
    assert.ok(card, 'the trail card');
    const requested = (await h.press('approval.refresh', { dealId: 'D-1001' }, { as: 'megan' })).card!;
    assert.match(cardText(requested), /^Your approval is asked at level Services manager\.$/m);
    assert.deepEqual(requested.refresh.userIds, [USERS.megan.id, USERS.adele.id]);
    assert.equal(requested.refresh.action.verb, 'approval.refresh');
    const base = (await h.press('approval.refresh', { dealId: 'D-1001' }, { as: 'lynne' })).card!;
    assert.doesNotMatch(cardText(base), /Your approval is asked/);
  });

  /** The approval state a decision could change (the deal's notices leave it as they are delivered). */
  const approvalState = async () => {
    const { approval, approvalTrail, rev } = await stored();
    return { approval, approvalTrail, rev };
  };

  it('anyone but an approver of the current level is refused and nothing changes', async () => {
    const before = await approvalState();
    for (const [as, message] of [
      ['patti', /Only the approvers of the current level \(Services manager\) can decide now/],
      ['alex', /You asked for this approval, so you can't decide on it\./],
      ['megan2', /Only the approvers of the current level/], // an admin, but not an approver
      ['lynne', /Only the approvers of the current level/], // a stranger
    ] as const) {
      const pressed = await decide(as, 'approved');
      assert.match(cardText(pressed.card!), message);
    }
    // Card data naming another level or round is not trusted either.
    assert.match(cardText((await decide('megan', 'approved', '', { levelId: 'director' })).card!), /already decided by someone else/);
    assert.match(cardText((await decide('megan', 'approved', '', { round: 7 })).card!), /round 7, which is over/);
    // Card data naming another deal: judged on that deal, where Megan approves nothing.
    assert.match((await h.press('approval.decide', { dealId: 'D-1002', round: 1, levelId: 'manager', decision: 'approved' }, { as: 'megan' })).message!, /Approval has not been requested for D-1002\./);
    assert.deepEqual(await approvalState(), before);
  });

  it('reject and request changes need a comment', async () => {
    assert.match(cardText((await decide('megan', 'rejected')).card!), /Please add a comment/);
  });

  it('simultaneous presses on an "any one" level give exactly one outcome; the others see the result', async () => {
    const presses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => decide(i % 2 ? 'megan' : 'adele', 'approved', `ok ${i}`)),
    );
    const deal = await stored();
    const level1 = deal.approval!.levels[0];
    assert.equal(level1.status, 'approved');
    assert.equal(level1.decisions.length, 1, 'one decision recorded');
    assert.equal(deal.approvalTrail.filter((e) => e.event === 'decided').length, 1);
    assert.equal(deal.approval!.levels[1].status, 'active');
    assert.ok(presses.every((p) => p.status === 200 && p.card));
    assert.equal(presses.filter((p) => /Recorded: you approved\./.test(cardText(p.card!))).length, 1);
  });

  it('an "all" level needs every approver; a rejection ends the round and returns the deal to the owner', async () => {
    const first = await h.press('approval.decide', { dealId: 'D-1001', round: 1, levelId: 'director', decision: 'approved' }, { as: 'isaiah' });
    assert.match(cardText(first.card!), /2\. Director .* · deciding now/);
    const again = await h.press('approval.decide', { dealId: 'D-1001', round: 1, levelId: 'director', decision: 'approved' }, { as: 'isaiah' });
    assert.match(cardText(again.card!), /You already approved at this level/);
    const rejected = await h.press('approval.decide', { dealId: 'D-1001', round: 1, levelId: 'director', decision: 'rejected', comment: 'Discount too deep' }, { as: 'patti' });
    assert.match(cardText(rejected.card!), /^Rejected$/m);
    assert.equal((await stored()).approval!.status, 'rejected');
    assert.match(cardText((await h.press('deal.closeWon', { dealId: 'D-1001' })).card!), /needs its approval round approved/);
  });

  it('the owner resubmits (round 2), every level approves, and the deal can close Won', async () => {
    const card = (await h.say('request approval D-1001 discount reduced')).cards[0];
    assert.match(cardText(card), /round 2/);
    await h.press('approval.decide', { dealId: 'D-1001', round: 2, levelId: 'manager', decision: 'approved' }, { as: 'adele' });
    await h.press('approval.decide', { dealId: 'D-1001', round: 2, levelId: 'director', decision: 'approved' }, { as: 'isaiah' });
    const done = await h.press('approval.decide', { dealId: 'D-1001', round: 2, levelId: 'director', decision: 'approved', comment: 'Go' }, { as: 'patti' });
    assert.match(cardText(done.card!), /^Approved$/m);
    assert.equal((await stored()).approval!.status, 'approved');
    const gate = (await h.press('deal.closeWon', { dealId: 'D-1001' })).card!;
    assert.doesNotMatch(cardText(gate), /complex deal/);
    const closed = await h.press('deal.move', { dealId: 'D-1001', target: 'Won', bdm: 'Dana', tdm: 'Wei', budget: 'ok', solutionOutline: 'x', proposalRef: 'SOW-1', finalValue: '6.2m' });
    assert.match(cardText(closed.card!), /Moved to Closed won\./);
  });

  it('"approval D-1001" shows the whole audit trail of both rounds, newest first; Older pages back to the first entry', async () => {
    const lines = (card: Record<string, any>) => cardText(card).split('\n').filter((l) => / · round \d · /.test(l)).map((l) => l.replace(/^.*? · round (\d) · /, '$1 '));
    const newest = (await h.say('approval D-1001')).cards[0];
    assert.match(cardText(newest), /^3–12 of 12, newest first$/m);
    const older = await h.press('approval.page', button(newest, 'Older').data);
    assert.match(cardText(older.card!), /^1–2 of 12, newest first$/m);
    assert.deepEqual(buttons(older.card!).map((b) => b.title), ['Newer', 'Open deal']);
    const entries = [...lines(newest), ...lines(older.card!)].reverse();
    const level1By = entries[1].startsWith('1 Megan') ? 'Megan Bowen' : 'Adele Vance'; // whoever of the 20 presses won
    assert.match(entries[1], /^1 (Megan Bowen|Adele Vance): approved at Services manager · “ok \d+”$/);
    assert.deepEqual(entries, [
      '1 Alex Wilber: requested approval · “please before quarter end”',
      entries[1],
      `1 ${level1By}: Director started`,
      '1 Isaiah Langer: approved at Director',
      '1 Patti Fernandez: rejected at Director · “Discount too deep”',
      '1 Patti Fernandez: round ended: rejected at Director · “Discount too deep”',
      '2 Alex Wilber: resubmitted for approval · “discount reduced”',
      '2 Adele Vance: approved at Services manager',
      '2 Adele Vance: Director started',
      '2 Isaiah Langer: approved at Director',
      '2 Patti Fernandez: approved at Director · “Go”',
      '2 Patti Fernandez: approval complete',
    ]);
  });
});
