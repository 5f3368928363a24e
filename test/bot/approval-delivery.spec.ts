import assert from 'node:assert/strict';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { sleep, waitFor } from '../support/wait-for';
import { TENANT, contosoForm } from './deal-fixtures';

const CHANNEL = '19:d1f6b5a2c0e34f7e9d2b8a6c4e1f3a5b@thread.tacv2';
const HOUR = 3_600_000;

describe('approval messages: the channel card updated in place, 1:1 notices, reminders and escalations', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness({ APPROVAL_REMIND_AFTER: '24h', APPROVAL_ESCALATE_AFTER: '48h' });
  const cardsIn = (conversationId: string) => h.connector.messagesTo(conversationId).flatMap((m) => (m.attachments ?? []).map((a: any) => a.content));
  const textsIn = (conversationId: string) => cardsIn(conversationId).map(cardText);
  const lastUpdate = () => {
    const updates = h.connector.updatesTo(CHANNEL);
    return updates.length ? cardText(updates.at(-1)!.body.attachments[0].content) : '';
  };

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele', 'isaiah'] as const) await h.say('help', { as });
    await h.sayInChannel('approvals here');
    await h.say('set approvers 1 megan bowen, adele vance any');
    await h.say('set approvers 2 isaiah langer all');
    await h.press('deal.create', { ...contosoForm, value: '6m' }); // D-1001
    await h.press('deal.create', { ...contosoForm, value: '7m', title: 'Second complex deal' }); // D-1002
  });
  after(() => h.stop());

  it('a request posts the approval card to the approvals channel and asks the first level 1:1', async () => {
    await h.say('request approval D-1001');
    const posted = (await waitFor('the card in the approvals channel', () => textsIn(CHANNEL).find((t) => /Approval request · D-1001/.test(t))))!;
    assert.match(posted, /1\. Services manager .* · deciding now/);
    await waitFor('Megan and Adele are asked', () =>
      textsIn('a:personal-megan').some((t) => /Your approval is asked at level Services manager\./.test(t)) &&
      textsIn('a:personal-adele').some((t) => /Your approval is asked at level Services manager\./.test(t)));
    assert.equal(textsIn('a:personal-isaiah').filter((t) => /Approval request · D-1001/.test(t)).length, 0, 'level 2 waits its turn');
  });

  it('each decision updates the one channel card in place, tells the owner, and asks the next level', async () => {
    await h.press('approval.decide', { dealId: 'D-1001', round: 1, levelId: 'manager', decision: 'approved', comment: 'fine' }, { as: 'megan' });
    await waitFor('the channel card updated', () => /1\. Services manager .* · approved/.test(lastUpdate()));
    assert.match(lastUpdate(), /Megan Bowen: approved .* “fine”/);
    const posted = h.connector.sent.find((s) => s.conversationId === CHANNEL && s.kind === 'send' && /Approval request · D-1001/.test(JSON.stringify(s.body)))!;
    assert.ok(h.connector.updatesTo(CHANNEL).every((u) => u.activityId === posted.activityId), 'the same activity, updated');
    await waitFor('the owner is told', () => textsIn('a:personal-alex').some((t) => /A level was approved; now waiting for Director\./.test(t)));
    await waitFor('Isaiah is asked', () => textsIn('a:personal-isaiah').some((t) => /Your approval is asked at level Director\./.test(t)));

    await h.press('approval.decide', { dealId: 'D-1001', round: 1, levelId: 'director', decision: 'approved' }, { as: 'isaiah' });
    await waitFor('the card says approved', () => /^Approved$/m.test(lastUpdate()));
    await waitFor('the owner hears it is approved', () => textsIn('a:personal-alex').some((t) => /D-1001 is approved\. You can close it Won\./.test(t)));
    assert.equal(h.connector.sent.filter((s) => s.conversationId === CHANNEL && s.kind === 'send' && /Approval request · D-1001/.test(JSON.stringify(s.body))).length, 1, 'posted once');
  });

  it('pending too long: a reminder after 24 h and an escalation after 48 h, each once, across a restart', async () => {
    await h.say('request approval D-1002');
    await waitFor('the request delivered', () => textsIn('a:personal-megan').some((t) => /Approval request · D-1002/.test(t)));
    h.advance(25 * HOUR);
    await waitFor('Megan is reminded', () => textsIn('a:personal-megan').some((t) => /Reminder: your approval at level Services manager is still pending\./.test(t)));
    await h.restart(); // a new DealDesk process on the same store: the reminder is not repeated
    h.advance(24 * HOUR);
    await waitFor('the escalation reaches the next level', () => textsIn('a:personal-isaiah').some((t) => /Escalation: level Services manager has been pending too long\./.test(t)));
    await sleep(500);
    const deal = (await h.store.deals.get(TENANT, 'D-1002'))!.deal;
    assert.deepEqual(deal.approvalTrail.map((e) => e.event), ['requested', 'reminded', 'escalated']);
    assert.equal(textsIn('a:personal-megan').filter((t) => /Reminder:/.test(t)).length, 1);
    assert.equal(textsIn('a:personal-isaiah').filter((t) => /Escalation:/.test(t)).length, 1);
    assert.equal(deal.approvalDueAt, undefined);
  });
});
