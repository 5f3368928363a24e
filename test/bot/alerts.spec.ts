import assert from 'node:assert/strict';
import { USERS, addedToTeam, installed } from '../support/activities';
import { button, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { postCrmChange } from '../support/crm-webhook';
import { sleep, waitFor } from '../support/wait-for';
import { TENANT, contosoForm } from './deal-fixtures';

const CHANNEL = '19:d1f6b5a2c0e34f7e9d2b8a6c4e1f3a5b@thread.tacv2';
const TEAM = '19:a8b7c6d5e4f34a2b1c0d9e8f7a6b5c4d@thread.tacv2';

describe('deal teams hear about changes: alerts through the real delivery path', function () {
  this.timeout(20_000);
  const h = new DealDeskHarness();
  /** Alert cards that reached a conversation (the fake Teams connector's view). */
  const alertsIn = (conversationId: string) =>
    h.connector.messagesTo(conversationId).flatMap((m) => (m.attachments ?? []).map((a: any) => a.content)).filter((c: any) => /Changed by/.test(cardText(c)));
  const settle = () => sleep(300);

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele'] as const) await h.say('help', { as });
    await h.press('deal.create', contosoForm); // D-1001
    await h.say('add megan to D-1001 as architect');
    await h.say('add adele to D-1001 as delivery manager');
    await h.sayInChannel('follow D-1001');
  });
  after(() => h.stop());

  it('a stage move goes to the following channel and 1:1 to each team member, not to the person who made it', async () => {
    h.connector.reset();
    await h.say('move D-1001 to qualify');
    const toMegan = await waitFor('the alert in Megan\'s chat', () => alertsIn('a:personal-megan')[0]);
    const text = cardText(toMegan);
    assert.match(text, /D-1001 · Contoso Bank/);
    assert.match(text, /Stage: Prospect → Qualify/);
    assert.match(text, /Changed by Alex Wilber/);
    assert.equal(button(toMegan, 'Open deal').verb, 'deal.show');
    assert.deepEqual(button(toMegan, 'Mute this deal').data, { dealId: 'D-1001' });
    await waitFor('the alert in the channel', () => alertsIn(CHANNEL).length === 1);
    await waitFor('the alert in Adele\'s chat', () => alertsIn('a:personal-adele').length === 1);
    await settle();
    assert.equal(alertsIn('a:personal-alex').length, 0, 'the person who made the change is not told');
    assert.equal(alertsIn('a:personal-megan').length, 1, 'exactly once');
  });

  it('value changes of 10 % or more and later close dates alert; smaller or earlier ones do not', async () => {
    h.connector.reset();
    await h.say('set D-1001 value 1.6m'); // +6.7 %: no alert
    await h.say('set D-1001 close date 2027-01-31'); // earlier: no alert
    await settle();
    assert.equal(alertsIn('a:personal-megan').length, 0);
    await h.say('set D-1001 value 2m'); // +25 %
    await waitFor('the value alert', () => alertsIn('a:personal-megan').some((c) => /NWS value: \$1,600,000 → \$2,000,000/.test(cardText(c))));
    await h.say('set D-1001 close date 2027-06-30');
    await waitFor('the close date alert', () => alertsIn('a:personal-megan').some((c) => /Close date: Jan 31, 2027 → Jun 30, 2027/.test(cardText(c))));
  });

  it('a member who muted the deal, or turned alerts off, gets nothing; unmuting brings them back', async () => {
    await h.say('mute D-1001', { as: 'megan' });
    await h.say('alerts off', { as: 'adele' });
    h.connector.reset();
    await h.say('move D-1001 to prospect the customer re-scoped');
    await waitFor('the channel alert', () => alertsIn(CHANNEL).length === 1);
    await settle();
    assert.equal(alertsIn('a:personal-megan').length, 0);
    assert.equal(alertsIn('a:personal-adele').length, 0);

    await h.press('command.run', { command: 'unmute D-1001' }, { as: 'megan' });
    await h.say('alerts on', { as: 'adele' });
    await h.say('move D-1001 to qualify');
    await waitFor('Megan and Adele hear again', () => alertsIn('a:personal-megan').length === 1 && alertsIn('a:personal-adele').length === 1);
  });

  it('"Mute this deal" on an alert mutes it for the person who pressed it', async () => {
    const pressed = await h.press('deal.mute', { dealId: 'D-1001' }, { as: 'megan' });
    assert.match(cardText(pressed.card!), /Muted: you won't get alerts about D-1001\./);
    const choices = await h.store.people.muteChoices(TENANT, 'D-1001', [USERS.megan.aadObjectId, USERS.adele.aadObjectId]);
    assert.deepEqual([...choices], [[USERS.megan.aadObjectId, true]], 'kept with Megan, not in the deal');
    assert.deepEqual((await h.store.deals.get(TENANT, 'D-1001'))!.deal.mutedBy, []);
    await h.say('unmute D-1001', { as: 'megan' });
  });

  it('a member who never chatted with DealDesk but is in a team where it is installed gets a 1:1 chat opened', async () => {
    await h.send(addedToTeam({ serviceUrl: h.connector.url })); // DealDesk learns the team roster
    await h.say('add megan smith to D-1001 as consultant'); // Megan Smith never chatted with DealDesk
    h.connector.reset();
    await h.say('move D-1001 to prospect back again');
    const conversation = `a:1on1-${USERS.megan2.id}`;
    await waitFor('the alert in the new 1:1 chat', () => alertsIn(conversation).length === 1);
    assert.equal(h.connector.created.length, 1);
    const stored = await h.store.conversations.findPersonalChat(TENANT, USERS.megan2.aadObjectId);
    assert.equal(stored?.conversationId, conversation, 'the reference is kept for next time');
  });

  it('"alerts D-1001" shows the delivery of the latest alerts per recipient, including failures', async () => {
    h.connector.failFor('a:personal-adele', { status: 403, code: 'ConversationBlockedByUser' });
    await h.say('move D-1001 to qualify');
    await waitFor('Adele\'s delivery to be blocked', async () =>
      (await h.store.deliveries.listForDeal(TENANT, 'D-1001', 50)).some((d) => d.recipient.key === USERS.adele.aadObjectId && d.state === 'blocked'));
    const card = (await h.say('alerts D-1001')).cards[0];
    const text = cardText(card);
    assert.match(text, /Alerts of D-1001/);
    assert.match(text, /Adele Vance: Blocked by the user \(ConversationBlockedByUser\)/);
    assert.match(text, /Megan Bowen: Sent/);
    assert.match(text, /Channel: Sent/);
    assert.equal((await h.store.conversations.get(TENANT, 'a:personal-adele'))?.blocked, true);
    h.connector.clearFaults();
  });

  it('reinstalling DealDesk in a chat that blocked it makes it reachable again', async () => {
    h.connector.reset();
    await h.send(installed({ serviceUrl: h.connector.url, as: 'adele' }));
    assert.equal((await h.store.conversations.get(TENANT, 'a:personal-adele'))?.blocked, undefined);
    await h.say('move D-1001 to prospect one more time');
    await waitFor('Adele hears again', () => alertsIn('a:personal-adele').length === 1);
  });

  it('a change from the CRM webhook alerts the whole team, the owner included', async () => {
    h.connector.reset();
    const answer = await postCrmChange(h, TENANT, 'D-1001', { value: 5_000_000 });
    assert.deepEqual(answer, { status: 200, body: { applied: true, deal: 'D-1001' } });
    const toAlex = await waitFor('the owner hears of the CRM change', () => alertsIn('a:personal-alex')[0]);
    assert.match(cardText(toAlex), /NWS value: \$2,000,000 → \$5,000,000/);
    assert.match(cardText(toAlex), /Changed by Dynamics \(CRM\)/);
    await waitFor('Megan hears too', () => alertsIn('a:personal-megan').length === 1);
  });

  it('a channel can follow every deal of an account, list what it follows, and unfollow', async () => {
    const card = (await h.sayInChannel('follow account contoso bank')).cards[0];
    assert.match(cardText(card), /Following every deal of contoso bank/);
    const list = cardText((await h.sayInChannel('following')).cards[0]);
    assert.match(list, /deal D-1001/);
    assert.match(list, /every deal of contoso bank/);
    await h.sayInChannel('unfollow D-1001');
    h.connector.reset();
    const moved = await h.press('deal.move', { dealId: 'D-1001', target: 'Solution', bdm: 'Dana', tdm: 'Wei', budget: 'ok' });
    assert.match(cardText(moved.card!), /Moved to Solution/);
    await waitFor('one channel alert (through the account follow)', () => alertsIn(CHANNEL).length === 1);
    await settle();
    assert.equal(alertsIn(CHANNEL).length, 1, 'not twice although both the deal and its account were followed');
    assert.match(cardText((await h.say('follow D-1001')).cards[0] ?? {}) || (await h.say('follow D-1001')).texts[0], /Following works in a channel or group chat/);
  });
});
