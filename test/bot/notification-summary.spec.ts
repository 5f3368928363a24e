import assert from 'node:assert/strict';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { waitFor } from '../support/wait-for';
import { USERS } from '../support/activities';
import { contosoForm } from './deal-fixtures';

const CHANNEL = '19:d1f6b5a2c0e34f7e9d2b8a6c4e1f3a5b@thread.tacv2';

/**
 * Issue 18, item 2: a proactive card says what happened in Teams's notification and chat list (the activity's
 * `summary`, instead of "DealDesk sent a card"), in the recipient's language: Megan's Teams runs in English, Adele
 * chose Chinese (`language zh-CN`) while hers runs in English; the approvals channel speaks the language it is
 * written to in.
 */
describe('proactive messages carry a summary in the recipient\'s language (through /api/messages and the fake Teams)', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness({ ADMINS: USERS.alex.aadObjectId });
  /** The message activities Teams received in a conversation that hold a card matching `pattern` (sends and in-place updates). */
  const cardMessages = (conversationId: string, pattern: RegExp) =>
    h.connector.sent
      .filter((s) => s.conversationId === conversationId && (s.kind === 'send' || s.kind === 'update'))
      .map((s) => s.body)
      .filter((b: any) => (b.attachments ?? []).some((a: any) => pattern.test(cardText(a.content))));

  before(async () => {
    await h.start();
    await h.say('help', { as: 'megan', locale: 'en-US' });
    await h.say('help', { as: 'adele', locale: 'en-US' });
    await h.say('help', { as: 'isaiah', locale: 'en-US' });
    await h.say('language zh-CN', { as: 'adele', locale: 'en-US' });
    await h.press('deal.create', { ...contosoForm, title: 'Azure migration', value: '6.2m' }); // D-1001, complex
    await h.say('add megan to D-1001 as architect');
    await h.say('add adele to D-1001 as delivery manager');
  });
  after(() => h.stop());

  it('an alert: "D-1001 Azure migration moved to Qualify by Alex Wilber", and in Chinese for Adele', async () => {
    h.connector.reset();
    await h.say('move D-1001 to qualify');
    const toMegan = await waitFor('the alert to Megan', () => cardMessages('a:personal-megan', /Changed by/)[0]);
    assert.equal(toMegan.summary, 'D-1001 Azure migration moved to Qualify by Alex Wilber');
    assert.equal(toMegan.attachments[0].content.speak, toMegan.summary, 'the card speaks the same line');
    const toAdele = await waitFor('the alert to Adele', () => cardMessages('a:personal-adele', /修改人/)[0]);
    assert.equal(toAdele.summary, 'D-1001 Azure migration 已由 Alex Wilber 推进到资格确认');
  });

  it('the approval request in the approvals channel: "Approval needed: D-1001, $6.2M, by Alex Wilber"; in Chinese once the channel writes in Chinese', async () => {
    await h.sayInChannel('approvals here', { locale: 'en-US' });
    await h.say('set approvers 1 megan bowen any');
    await h.say('set approvers 2 isaiah langer any');
    h.connector.reset();
    await h.say('request approval D-1001');
    const posted = await waitFor('the approval card in the channel', () => cardMessages(CHANNEL, /Approval request · D-1001/)[0]);
    assert.equal(posted.summary, 'Approval needed: D-1001, $6.2M, by Alex Wilber');
    const asked = await waitFor('Megan is asked 1:1', () => cardMessages('a:personal-megan', /Approval request · D-1001/)[0]);
    assert.equal(asked.summary, 'Approval needed: D-1001, $6.2M, by Alex Wilber');

    // The channel now writes in Chinese: the next deal's card there is summarised in Chinese.
    await h.sayInChannel('帮助', { locale: 'zh-CN' });
    await h.press('deal.create', { ...contosoForm, title: 'Beijing data centre', value: '7m' }); // D-1002
    await h.say('request approval D-1002');
    const zh = await waitFor('the Chinese approval card in the channel', () => cardMessages(CHANNEL, /D-1002/)[0]);
    assert.equal(zh.summary, '待审批：D-1002，US$700万，发起人 Alex Wilber');
  });

  it('the weekly digest: its heading and totals, in English for Megan and in Chinese for Adele', async () => {
    h.connector.reset();
    // To the next Monday 08:00:30 in Shanghai (the fixtures' zone), 00:00:30 UTC.
    const now = h.clock.now();
    const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + ((8 - now.getUTCDay()) % 7 || 7), 0, 0, 30));
    h.advance(monday.getTime() - now.getTime());
    const digestTo = (who: string, pattern: RegExp) => async () => {
      await h.app.scheduler.runOnce();
      await h.app.notifier.runOnce();
      return cardMessages(`a:personal-${who}`, pattern)[0];
    };
    const megan = await waitFor('Megan\'s digest', digestTo('megan', /weekly digest/));
    assert.match(megan.summary, /^Megan Bowen's weekly digest · \d{4}-W\d{2} – /);
    const adele = await waitFor('Adele\'s digest', digestTo('adele', /每周摘要/));
    assert.match(adele.summary, /^Adele Vance 的每周摘要 · \d{4}-W\d{2} – /);
    assert.match(adele.summary, /[\u4e00-\u9fff]/, 'in Chinese');
    for (const message of [megan, adele]) assert.equal(message.attachments[0].content.speak, message.summary);
  });
});
