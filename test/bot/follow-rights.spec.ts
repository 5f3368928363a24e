import assert from 'node:assert/strict';
import { channelText, USERS, type UserKey } from '../support/activities';
import { cardText } from '../support/card-query';
import { DealDeskHarness, type Said } from '../support/dealdesk-harness';
import { sleep, waitFor } from '../support/wait-for';
import { TENANT, contosoForm } from './deal-fixtures';

/** Channels of teams other than the fixture's, each someone's own. */
const PATTI_CHANNEL = '19:patti-own-channel@thread.tacv2';
const OLD_CHANNEL = '19:followed-before-followers-were-recorded@thread.tacv2';
const ADELE_CHANNEL = '19:adele-delivery-channel@thread.tacv2';

const said = (s: Said): string => [...s.texts, ...s.cards.map(cardText)].join('\n');

/**
 * Issue 14, item 3: following a deal or an account into a channel exports its alerts to people DealDesk does not
 * know. Reproduced on main: a colleague who is neither owner nor team ran `follow D-1001` in their own channel and
 * D-1001's stage alerts were posted there. Now only the owner, a deal team member, the owner's manager or an admin
 * may follow a deal; every follow records who made it, and delivers only the deals that person could follow,
 * decided when each alert is fanned out. Default DEAL_VISIBILITY (tenant): everyone may read, not export.
 */
describe('following a deal or an account into a channel (issue 14, item 3)', function () {
  this.timeout(60_000);
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId });
  /** A post that @mentions DealDesk in `channel`, by `as`. */
  const inChannel = (channel: string, text: string, as: UserKey) => {
    const activity = channelText(text, { as, serviceUrl: h.connector.url });
    activity.conversation.id = `${channel};messageid=${Date.now()}`;
    activity.channelData.teamsChannelId = channel;
    activity.channelData.channel = { id: channel };
    return h.send(activity);
  };
  const alertsIn = (conversationId: string) =>
    h.connector.messagesTo(conversationId).flatMap((m) => (m.attachments ?? []).map((a: any) => a.content)).filter((c: any) => /Changed by/.test(cardText(c)));
  /** Moves a deal and waits for its alert to reach someone who surely gets it (1:1), so the fan-out is done. */
  const move = async (ref: string, to: string, as: UserKey, witness: string) => {
    const before = alertsIn(witness).length;
    assert.match(said(await h.say(`move ${ref} to ${to} moving on`, { as })), new RegExp(`Moved to ${to}`, 'i'));
    await waitFor(`the alert of ${ref} in ${witness}`, () => alertsIn(witness).length > before);
    await sleep(300);
  };

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele', 'patti', 'lynne'] as const) await h.say('help', { as });
    await h.press('deal.create', contosoForm); // D-1001, Alex's, Contoso Bank
    await h.press('deal.create', { ...contosoForm, title: 'Patti\'s own' }, { as: 'patti' }); // D-1002, Patti's, Contoso Bank too
    await h.say('add adele to D-1001 as architect');
    await h.press('deal.create', { ...contosoForm, title: 'Megan watches' }, { as: 'megan' }); // D-1003, Megan's, for Patti's team
    await h.say('add patti to D-1003 as specialist', { as: 'megan' });
  });
  after(() => h.stop());

  it('reproduction: a colleague who is neither owner nor team cannot follow the deal into their own channel, and its alerts never go there', async () => {
    const refused = said(await inChannel(PATTI_CHANNEL, 'follow D-1001', 'patti'));
    assert.match(refused, /Only the owner of D-1001, a member of its deal team, the owner's manager or an admin can follow it here/);
    assert.deepEqual(await h.store.follows.listByConversation(TENANT, PATTI_CHANNEL), []);
    await move('D-1001', 'qualify', 'alex', 'a:personal-adele');
    assert.equal(alertsIn(PATTI_CHANNEL).length, 0);
  });

  it('the owner, the deal team, the owner\'s manager and an admin may follow it; the follow records who made it', async () => {
    await h.say('set manager Alex Wilber to Megan Bowen', { as: 'lynne' });
    for (const as of ['alex', 'adele', 'megan', 'lynne'] as const) {
      const channel = `19:${as}-follows@thread.tacv2`;
      assert.match(said(await inChannel(channel, 'follow D-1001', as)), /Following deal D-1001: its alerts will be posted here/, as);
      const [follow] = await h.store.follows.listByConversation(TENANT, channel);
      assert.deepEqual(follow?.followedBy, { id: USERS[as].aadObjectId, name: USERS[as].name }, as);
      assert.match(said(await inChannel(channel, 'following', as)), new RegExp(`deal D-1001 · followed by ${USERS[as].name}`), as);
    }
  });

  it('an account follow delivers only the deals its follower could follow: Patti\'s channel hears of her deals, not Alex\'s', async () => {
    const followed = said(await inChannel(PATTI_CHANNEL, 'follow account Contoso Bank', 'patti'));
    assert.match(followed, /Following every deal of Contoso Bank/);
    assert.match(followed, /Only the alerts of deals you could follow yourself are posted/);
    await move('D-1001', 'prospect', 'alex', 'a:personal-adele');
    assert.equal(alertsIn(PATTI_CHANNEL).length, 0, 'Alex\'s deal is not exported by Patti\'s account follow');
    await move('D-1002', 'qualify', 'patti', PATTI_CHANNEL);
    assert.match(cardText(alertsIn(PATTI_CHANNEL)[0]), /D-1002/);
    // A deal of the account whose team she is on (Megan's D-1003) comes too.
    await move('D-1003', 'qualify', 'megan', 'a:personal-patti');
    await waitFor('D-1003\'s alert in Patti\'s channel', () => alertsIn(PATTI_CHANNEL).some((c) => /D-1003/.test(cardText(c))));
  });

  it('a follow is checked again at every alert: when its follower leaves the deal team, the channel stops hearing', async () => {
    assert.match(said(await inChannel(ADELE_CHANNEL, 'follow D-1001', 'adele')), /Following deal D-1001/);
    await move('D-1001', 'qualify', 'alex', ADELE_CHANNEL);
    await h.say('remove adele from D-1001');
    const before = alertsIn(ADELE_CHANNEL).length;
    await move('D-1001', 'prospect', 'alex', '19:alex-follows@thread.tacv2');
    assert.equal(alertsIn(ADELE_CHANNEL).length, before);
    // `unfollow` still works for her, and `following` lists what the channel follows.
    assert.match(said(await inChannel(ADELE_CHANNEL, 'unfollow D-1001', 'adele')), /No longer following deal D-1001/);
  });

  it('a follow made before followers were recorded delivers nothing, `following` says so, and following again resumes it', async () => {
    await inChannel(OLD_CHANNEL, 'help', 'alex'); // the channel's reference is known, as it would be
    await h.store.follows.follow({ tenantId: TENANT, conversationId: OLD_CHANNEL, target: { kind: 'deal', dealId: 'D-1001' }, createdAt: h.clock.now().toISOString() });
    await move('D-1001', 'qualify', 'alex', '19:alex-follows@thread.tacv2');
    assert.equal(alertsIn(OLD_CHANNEL).length, 0, 'nobody to answer for it: nothing is exported');
    assert.match(said(await inChannel(OLD_CHANNEL, 'following', 'patti')), /deal D-1001 · paused: nobody is recorded as its follower\. Follow it again to resume its alerts\./);
    assert.match(said(await inChannel(OLD_CHANNEL, 'follow D-1001', 'patti')), /Only the owner of D-1001/, 'a colleague cannot revive it');
    assert.match(said(await inChannel(OLD_CHANNEL, 'follow D-1001', 'alex')), /Following deal D-1001: its alerts will be posted here/);
    await move('D-1001', 'prospect', 'alex', OLD_CHANNEL);
    assert.match(said(await inChannel(OLD_CHANNEL, 'following', 'patti')), /deal D-1001 · followed by Alex Wilber/);
  });

  it('following in a personal chat is still explained, and in zh-CN the refusal is in Chinese', async () => {
    assert.match(said(await h.say('follow D-1001', { as: 'patti' })), /Following works in a channel or group chat/);
    const activity = channelText('follow D-1001', { as: 'patti', locale: 'zh-CN', serviceUrl: h.connector.url });
    assert.match(said(await h.send(activity)), /只有 D-1001 的负责人/);
  });
});
