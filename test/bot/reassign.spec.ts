import assert from 'node:assert/strict';
import { USERS, type UserKey } from '../support/activities';
import { button, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { sleep, waitFor } from '../support/wait-for';
import { TENANT, contosoForm } from './deal-fixtures';

/**
 * When an SE leaves (issue 17, item 4): `reassign <deal> to <person>` and `reassign all deals of <person> to
 * <person>`, by the owner's manager or an admin, through /api/messages with Teams faked.
 * Alex owns the deals; Megan is his manager; Lynne is an admin; Adele is on the deal team; Isaiah approves level 1.
 */
describe('reassigning deals when an SE leaves (through /api/messages)', function () {
  this.timeout(60_000);
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId });
  const reply = async (text: string, as: UserKey = 'alex', locale?: string) => {
    const said = await h.say(text, { as, ...(locale ? { locale } : {}) });
    return [...said.texts, ...said.cards.map(cardText)].join('\n');
  };
  const ownerOf = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal.owner.id;
  const alertsIn = (conversationId: string) =>
    h.connector.messagesTo(conversationId).flatMap((m) => (m.attachments ?? []).map((a: any) => a.content)).filter((c: any) => /Changed by/.test(cardText(c)));

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele', 'isaiah', 'lynne', 'patti'] as const) await h.say('help', { as });
    const create = (extra: Record<string, unknown>) => h.press('deal.create', { ...contosoForm, serviceLines: 'Consulting', value: '400k', ...extra });
    await create({ title: 'Core banking' }); // D-1001
    await create({ title: 'Fraud analytics', value: '2,000,000' }); // D-1002, complex: needs level 1
    await create({ title: 'Data platform' }); // D-1003
    await create({ title: 'Branch refit' }); // D-1004
    await h.say('add adele to D-1001 as architect');
    assert.match(await reply('set manager Alex Wilber to Megan Bowen', 'lynne'), /Megan Bowen/);
    await h.sayInChannel('approvals here', { as: 'lynne' });
    await h.say('set approvers 1 isaiah langer any', { as: 'lynne' });
    await h.say('set approvers 2 lynne robbins any', { as: 'lynne' });
  });
  after(() => h.stop());

  it('refuses anyone but the owner\'s manager or an admin, the owner included, and changes nothing', async () => {
    for (const as of ['patti', 'adele', 'isaiah', 'alex'] as const) {
      assert.match(await reply('reassign D-1001 to Patti Fernandez', as), /Only Alex Wilber's manager or a DealDesk admin can reassign D-1001\./, as);
      assert.match(await reply('reassign all deals of Alex Wilber to Patti Fernandez', as), /Only Alex Wilber's manager or a DealDesk admin can reassign Alex Wilber's deals\. Nothing was changed\./, as);
    }
    assert.equal(await ownerOf('D-1001'), USERS.alex.aadObjectId);
    assert.match(await reply('reassign D-1001 to Patti Fernandez', 'alex', 'zh-CN'), /只有 Alex Wilber 的经理或 DealDesk 管理员可以转交 D-1001。/);
  });

  it('the manager moves one deal: history, an alert to the old and new owner and the deal team, the deal card says so', async () => {
    h.connector.reset();
    const answer = await reply('reassign core banking to patti', 'megan');
    assert.match(answer, /D-1001 is now Patti Fernandez's \(it was Alex Wilber's\)\./);
    assert.equal(await ownerOf('D-1001'), USERS.patti.aadObjectId);
    assert.match(await reply('history D-1001'), /Megan Bowen: reassigned the deal from Alex Wilber to Patti Fernandez/);
    assert.match(await reply('history D-1001', 'alex', 'zh-CN'), /将商机负责人从 Alex Wilber 改为 Patti Fernandez/);
    // Alex last wrote in Chinese: his alert is in Chinese.
    const toAlex = (await waitFor('the alert in Alex\'s chat', () => h.connector.cards('a:personal-alex').find((c) => /负责人/.test(cardText(c)))))!;
    assert.match(cardText(toAlex), /负责人: Alex Wilber → Patti Fernandez/);
    for (const chat of ['a:personal-patti', 'a:personal-adele']) {
      const alert = await waitFor(`the alert in ${chat}`, () => alertsIn(chat)[0]);
      assert.match(cardText(alert), /Owner: Alex Wilber → Patti Fernandez/);
      assert.match(cardText(alert), /Changed by Megan Bowen/);
      assert.equal(button(alert, 'Open deal').verb, 'deal.show');
    }
    await sleep(200);
    assert.equal(alertsIn('a:personal-megan').length, 0, 'the manager who did it is not told');
    assert.match(await reply('reassign D-1001 to alex', 'megan'), /Only Patti Fernandez's manager or a DealDesk admin can reassign D-1001\./, "Alex's manager has no say over Patti's deal");
    assert.match(await reply('reassign D-1001 to patti', 'lynne'), /D-1001 is already Patti Fernandez's: nothing to move\./);
    assert.match(await reply('move D-1001 to qualify', 'patti'), /Qualify/, 'the new owner changes it');
    assert.match(await reply('move D-1001 to prospect', 'alex'), /Only Patti Fernandez, who owns D-1001, can change it/);
  });

  it('an open approval follows the new owner: decisions reach them, and they cannot decide on their own deal', async () => {
    // Two approvers of "any one" at level 1: Isaiah may take the deal over, Megan Smith can still finish the level.
    await h.say('help', { as: 'megan2' });
    assert.match(await reply('set approvers 1 isaiah langer, megan smith any', 'lynne'), /Megan Smith/);
    assert.match(await reply('request approval D-1002 big one'), /approv/i);
    assert.match(await reply('reassign D-1002 to isaiah', 'lynne'), /D-1002 is now Isaiah Langer's/);
    const own = await h.press('approval.decide', { dealId: 'D-1002', round: 1, decision: 'approved' }, { as: 'isaiah' });
    assert.match(JSON.stringify(own.body), /D-1002 is your deal, so you can't decide on its approval\./);
    assert.match(await reply('reassign D-1002 to patti', 'lynne'), /D-1002 is now Patti Fernandez's/);
    h.connector.reset();
    const approved = await h.press('approval.decide', { dealId: 'D-1002', round: 1, decision: 'approved' }, { as: 'isaiah' });
    assert.doesNotMatch(JSON.stringify(approved.body), /can't decide|Only/);
    const notice = await waitFor("the decision in Patti's chat", () => h.connector.cards('a:personal-patti').find((c) => /D-1002/.test(cardText(c)) && /approv/i.test(cardText(c))));
    assert.ok(notice);
    await sleep(200);
    assert.ok(!h.connector.cards('a:personal-alex').some((c) => /D-1002/.test(cardText(c)) && /approv/i.test(cardText(c))), 'Alex, who asked, no longer owns it: not told');
    const deal = (await h.store.deals.get(TENANT, 'D-1002'))!.deal;
    assert.equal(deal.approval?.requestedBy.id, USERS.alex.aadObjectId, 'the round still says who asked');
  });

  it('nudges follow the new owner: the stale deal is on their nudge, not the old owner\'s', async () => {
    h.advance(20 * 86_400_000); // everything is stale now
    const patti = await reply('stale', 'patti');
    assert.match(patti, /D-1001/);
    assert.match(patti, /D-1002/);
    const alex = await reply('stale', 'alex');
    assert.doesNotMatch(alex, /D-1001|D-1002/);
    assert.match(alex, /D-1003/);
    const jobs = await Promise.all(['digest', 'nudge'].map((k) => h.store.jobs.get(TENANT, `${k}|${USERS.patti.aadObjectId}`)));
    assert.ok(jobs.every(Boolean), 'the new owner has a nudge and a digest scheduled');
  });

  it('"all deals of" goes deal by deal; after a failure midway, running it again moves what is left and reports counts', async () => {
    // D-1003 and D-1004 are still Alex's. The store fails the second deal write of the run.
    const deals = h.store.deals;
    const replace = deals.replace.bind(deals);
    let writes = 0;
    deals.replace = async (deal, etag) => {
      if (deal.owner.id === USERS.lynne.aadObjectId && ++writes === 2) throw new Error('store unavailable');
      return replace(deal, etag);
    };
    try {
      assert.match(await reply('reassign all deals of Alex Wilber to Lynne Robbins', 'megan'), /Sorry|something went wrong/i);
    } finally {
      deals.replace = replace;
    }
    const owners = await Promise.all(['D-1003', 'D-1004'].map(ownerOf));
    assert.deepEqual(owners.filter((o) => o === USERS.lynne.aadObjectId).length, 1, 'one moved before the failure');

    assert.match(await reply('reassign all deals of alex to lynne', 'megan'), /Deals of Alex Wilber to Lynne Robbins: 1 moved, 1 already moved, 0 refused\./);
    assert.deepEqual(await Promise.all(['D-1003', 'D-1004'].map(ownerOf)), [USERS.lynne.aadObjectId, USERS.lynne.aadObjectId]);
    assert.match(await reply('reassign all deals of alex to lynne', 'megan'), /0 moved, 2 already moved, 0 refused/);
    assert.match(await reply('reassign all deals of alex to lynne', 'megan', 'zh-CN'), /已转交 0 个，此前已转交 2 个，被拒绝 0 个/);
  });

  it('is forgiving and explains itself: usage, the help card, a choice when several people match', async () => {
    assert.match(await reply('reassign'), /Usage: `reassign <deal> to <person>`/);
    assert.match(await reply('help'), /reassign all deals of <person> to <person>/);
    assert.match(await reply('help', 'alex', 'zh-CN'), /转交/);
    await h.say('help', { as: 'megan2' });
    const choice = JSON.stringify((await h.say('reassign D-1003 to megan', { as: 'lynne' })).cards);
    assert.match(choice, /Megan Bowen/);
    assert.match(choice, /Megan Smith/);
    assert.match(await reply('转交 D-1003 给 Megan Smith', 'lynne', 'zh-CN'), /D-1003 现由 Megan Smith 负责（原负责人 Lynne Robbins）/);
  });
});

/**
 * Reassigning to an approver of the open round (issue 17, item 4 follow-up): an owner cannot decide on their own
 * deal's approval, so a level that needs the new owner could never finish. Such a reassignment is refused, naming
 * the level and what to do; on "all deals of" such a deal is counted as refused, with the reason. Alex owns the
 * deals, Megan is his manager, Lynne an admin. Level 1 (Services manager, any one): Isaiah alone. Level 2
 * (Director, all must approve): Patti and Adele.
 */
describe('reassigning a deal to an approver of its open approval round (through /api/messages)', function () {
  this.timeout(60_000);
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId });
  const reply = async (text: string, as: UserKey = 'alex', locale?: string) => {
    const said = await h.say(text, { as, ...(locale ? { locale } : {}) });
    return [...said.texts, ...said.cards.map(cardText)].join('\n');
  };
  const stored = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal;
  const approve = async (id: string, as: UserKey) => JSON.stringify((await h.press('approval.decide', { dealId: id, round: 1, decision: 'approved' }, { as })).body);

  before(async () => {
    await h.start();
    for (const as of ['megan', 'adele', 'isaiah', 'lynne', 'patti'] as const) await h.say('help', { as });
    const create = (extra: Record<string, unknown>) => h.press('deal.create', { ...contosoForm, serviceLines: 'Consulting', ...extra });
    await create({ title: 'Core banking', value: '6,000,000' }); // D-1001: Services manager, then Director
    await create({ title: 'Branch refit', value: '400k' }); // D-1002: no approval needed
    await create({ title: 'Fraud analytics', value: '2,000,000' }); // D-1003: Services manager
    assert.match(await reply('set manager Alex Wilber to Megan Bowen', 'lynne'), /Megan Bowen/);
    await h.sayInChannel('approvals here', { as: 'lynne' });
    await h.say('set approvers 1 isaiah langer any', { as: 'lynne' });
    assert.match(await reply('set approvers 2 patti fernandez and adele vance all', 'lynne'), /Adele Vance/);
    for (const id of ['D-1001', 'D-1003']) assert.match(await reply(`request approval ${id} please`), /Approval requested/);
  });
  after(() => h.stop());

  it('refuses the approver a level still needs, naming the level and what to do, in en-US and zh-CN; nothing changes', async () => {
    const before = await stored('D-1001');
    assert.match(
      await reply('reassign D-1001 to isaiah', 'megan'),
      /D-1001 can't go to Isaiah Langer: they approve level Services manager of its open approval round, which has not decided yet, and an owner can't decide on their own deal's approval, so the round could never finish\. Nothing was changed\. Choose someone else, or reassign D-1001 once level Services manager has decided/,
    );
    assert.match(await reply('reassign D-1001 to isaiah', 'megan', 'zh-CN'), /D-1001 不能转交给 Isaiah Langer：Isaiah Langer 是其进行中审批轮次「Services manager」层级的审批人.*请选择其他人/);
    // A level still waiting its turn counts too: Director needs both Patti and Adele.
    assert.match(await reply('转交 D-1001 给 Patti Fernandez', 'lynne', 'zh-CN'), /「Director」层级/);
    assert.match(await reply('reassign D-1001 to patti', 'lynne'), /can't go to Patti Fernandez: they approve level Director/);
    assert.deepEqual(await stored('D-1001'), before, 'nothing stored');
  });

  it('once that level has decided, or another approver can finish it, the deal moves; the round is unchanged', async () => {
    assert.doesNotMatch(await approve('D-1001', 'isaiah'), /can't|Only/);
    assert.doesNotMatch(await approve('D-1001', 'patti'), /can't|Only/);
    const round = (await stored('D-1001')).approval;
    // Isaiah's level has decided; Patti has approved hers and Adele can finish it: both may take the deal now.
    assert.match(await reply('reassign D-1001 to isaiah', 'megan'), /D-1001 is now Isaiah Langer's/);
    assert.match(await reply('reassign D-1001 to patti', 'lynne'), /D-1001 is now Patti Fernandez's/);
    assert.match(await reply('reassign D-1001 to adele', 'lynne'), /can't go to Adele Vance: they approve level Director/, 'Adele has yet to approve');
    assert.deepEqual((await stored('D-1001')).approval, round, 'a reassignment never changes the round');
    assert.doesNotMatch(await approve('D-1001', 'adele'), /can't|Only/);
    assert.equal((await stored('D-1001')).approval?.status, 'approved');
  });

  it('"all deals of" moves the others and counts that deal as refused, with the reason', async () => {
    const answer = await reply('reassign all deals of Alex Wilber to Isaiah Langer', 'megan');
    assert.match(answer, /Deals of Alex Wilber to Isaiah Langer: 1 moved, 0 already moved, 1 refused\./);
    assert.match(answer, /D-1003 was not moved: D-1003 can't go to Isaiah Langer: they approve level Services manager/);
    assert.deepEqual([(await stored('D-1002')).owner.id, (await stored('D-1003')).owner.id], [USERS.isaiah.aadObjectId, USERS.alex.aadObjectId]);
    const zh = await reply('reassign all deals of Alex Wilber to Isaiah Langer', 'megan', 'zh-CN');
    assert.match(zh, /已转交 0 个，此前已转交 1 个，被拒绝 1 个/);
    assert.match(zh, /D-1003 未转交：D-1003 不能转交给 Isaiah Langer/);
  });
});
