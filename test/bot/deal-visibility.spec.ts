import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { buttons, cardText } from '../support/card-query';
import { USERS, type UserKey } from '../support/activities';
import { DealDeskHarness, type Pressed, type Said } from '../support/dealdesk-harness';
import { contosoForm } from './deal-fixtures';
import { invoke, queryLinkInvoke, searchInvoke } from './compose-extension-invokes';
import { parseCommand } from '../../src/chat/parse-command';

/**
 * Issue 14, item 3: one visibility rule on every read path (DEAL_VISIBILITY), through /api/messages.
 *
 * Reproduced on main: for someone neither owner nor team, an unfurled link said "no access" and the compose-box
 * search found nothing, but `deal D-1001` and the card's refresh showed the whole card (and ids are sequential).
 */
const PUBLIC = 'https://dealdesk.contoso.com';
const said = (s: Said): string => [...s.texts, ...s.cards.map(cardText)].join('\n');
const pressed = (p: Pressed): string => [p.card ? cardText(p.card) : '', typeof p.message === 'string' ? p.message : ''].join('\n');
/** Nothing of D-1001 or D-1002 (Alex's) may reach someone who may not read them. */
const ALEX_DEALS = /Azure migration|Azure complex|Contoso|1,500,000|2,000,000|Scoping|Alex Wilber|Adele Vance|Prospect|Consulting/i;
const ids = (body: any): string[] => body.composeExtension.attachments.map((a: any) => /D-\d+/.exec(a.preview.content.text)?.[0]);

describe('DEAL_VISIBILITY=team: only the owner, the deal team, the owner\'s managers, approvers and admins read a deal (issue 14, item 3)', function () {
  this.timeout(60_000);
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId, DEAL_VISIBILITY: 'team' });
  const search = (text: string, as: UserKey) => invoke(h, searchInvoke(h, text, { as }));
  const unfurl = (id: string, as: UserKey) => invoke(h, queryLinkInvoke(h, `${PUBLIC}/deals/${id}`, { as }));

  before(async () => {
    await h.start();
    for (const as of ['megan', 'megan2', 'adele', 'isaiah', 'patti', 'lynne'] as const) await h.say('help', { as });
    await h.press('deal.create', contosoForm); // D-1001, Alex's, Contoso Bank
    await h.press('deal.create', { ...contosoForm, title: 'Azure complex programme', value: '2,000,000' }); // D-1002, Alex's, needs approval
    await h.press('deal.create', { ...contosoForm, title: 'Azure landing zone', account: 'Fabrikam' }, { as: 'patti' }); // D-1003, Patti's
    await h.say('add adele to D-1001 as architect');
    // Alex's manager is Megan Bowen, hers Megan Smith, whose manager is Megan Bowen again (a loop).
    await h.say('set manager Alex Wilber to Megan Bowen', { as: 'lynne' });
    await h.say('set manager Megan Bowen to Megan Smith', { as: 'lynne' });
    await h.say('set manager Megan Smith to Megan Bowen', { as: 'lynne' });
    await h.sayInChannel('approvals here', { as: 'lynne' });
    await h.say('set approvers 1 isaiah langer any', { as: 'lynne' });
    assert.match(said(await h.say('request approval D-1002 please')), /approv/i);
  });
  after(() => h.stop());

  it('reproduction: `deal D-1001` from someone not on it says they have no access, and shows nothing of the deal', async () => {
    const answer = said(await h.say('deal D-1001', { as: 'patti' }));
    assert.match(answer, /You don't have access to a deal matching "D-1001", or there is none\./);
    assert.doesNotMatch(answer, ALEX_DEALS);
  });

  it('reproduction: the card\'s refresh and "Open deal" (deal.refresh, deal.show) refuse alike, whatever the card data says', async () => {
    const forged = { dealId: 'D-1001', personId: USERS.alex.aadObjectId, ownerId: USERS.alex.aadObjectId, userId: USERS.alex.id, isAdmin: true };
    for (const verb of ['deal.refresh', 'deal.show', 'deal.edit']) {
      const answer = pressed(await h.press(verb, forged, { as: 'patti' }));
      assert.match(answer, /You don't have access to a deal matching "D-1001"/, verb);
      assert.doesNotMatch(answer, ALEX_DEALS, verb);
    }
    const trail = pressed(await h.press('approval.refresh', { dealId: 'D-1002' }, { as: 'patti' }));
    assert.match(trail, /You don't have access to a deal matching "D-1002"/);
  });

  it('reproduction: ids are sequential, so a hidden deal and an id that does not exist get the same answer', async () => {
    const hidden = said(await h.say('deal D-1001', { as: 'patti' }));
    const unknown = said(await h.say('deal D-9999', { as: 'patti' }));
    assert.equal(hidden.replace('D-1001', 'D-?'), unknown.replace('D-9999', 'D-?'));
    const pressHidden = pressed(await h.press('deal.refresh', { dealId: 'D-1001' }, { as: 'patti' }));
    const pressUnknown = pressed(await h.press('deal.refresh', { dealId: 'D-9999' }, { as: 'patti' }));
    assert.equal(pressHidden.replace('D-1001', 'D-?'), pressUnknown.replace('D-9999', 'D-?'));
    // A pasted link: the same "no access" card for both, as it already was for a hidden deal.
    const [linkHidden, linkUnknown] = [(await unfurl('D-1001', 'patti')).body, (await unfurl('D-9999', 'patti')).body];
    assert.match(linkHidden.composeExtension.attachments[0].content.text, /You don't have access to this deal, or there is no such deal/);
    assert.equal(JSON.stringify(linkHidden).replaceAll('D-1001', 'D-?'), JSON.stringify(linkUnknown).replaceAll('D-9999', 'D-?'));
  });

  it('every other read refuses alike: team, alerts, approval trail, plan, csat, mute', async () => {
    for (const command of ['team D-1001', 'alerts D-1001', 'approval D-1002', 'plan D-1001', 'csat D-1001', 'mute D-1001']) {
      const answer = said(await h.say(command, { as: 'patti' }));
      assert.match(answer, /You don't have access to a deal matching "D-100[12]"/, command);
      assert.doesNotMatch(answer, ALEX_DEALS, command);
    }
  });

  it('a title fragment never reveals that a hidden deal exists, and a choice of matches lists only readable deals', async () => {
    // "migration" matches only Alex's D-1001: for Patti it reads like a title nobody has.
    const hidden = said(await h.say('deal migration', { as: 'patti' }));
    const nothing = said(await h.say('deal nothing like this', { as: 'patti' }));
    assert.equal(hidden.replace('migration', '…'), nothing.replace('nothing like this', '…'));
    // "azure" matches all three deals: Patti gets her own at once, not a choice naming Alex's.
    const own = said(await h.say('deal azure', { as: 'patti' }));
    assert.match(own, /D-1003 · Prospect/);
    assert.doesNotMatch(own, /D-1001|D-1002/);
    // Alex gets the choice of his two, without Patti's.
    const choice = (await h.say('deal azure')).cards[0]!;
    assert.deepEqual(buttons(choice).map((b) => b.data.command), ['deal D-1001', 'deal D-1002'].map(parseCommand));
    assert.doesNotMatch(JSON.stringify(choice), /D-1003|landing zone/);
  });

  it('the deal team, the owner\'s manager and their manager (through a loop in the chain), the approver and an admin read it', async () => {
    for (const as of ['adele', 'megan', 'megan2', 'lynne'] as const) assert.match(said(await h.say('deal D-1001', { as })), /D-1001 · Prospect/, as);
    assert.match(said(await h.say('deal D-1002', { as: 'isaiah' })), /D-1002 · Prospect/, 'the approver of its round');
    assert.match(pressed(await h.press('approval.refresh', { dealId: 'D-1002' }, { as: 'isaiah' })), /Azure complex programme/);
    assert.match(said(await h.say('deal D-1001', { as: 'isaiah' })), /You don't have access/, 'approving one deal is no key to the others');
    assert.match(said(await h.say('deal D-1003', { as: 'megan' })), /You don't have access/, 'the loop does not make Megan Patti\'s manager');
  });

  it('compose-box search and link unfurling apply the same rule (the approver finds the deal through the store\'s filter)', async () => {
    assert.deepEqual(ids((await search('azure', 'patti')).body), ['D-1003']);
    assert.deepEqual(ids((await search('azure', 'isaiah')).body), ['D-1002']);
    assert.deepEqual(ids((await search('azure', 'megan2')).body).sort(), ['D-1001', 'D-1002']);
    assert.deepEqual(ids((await search('azure', 'lynne')).body).sort(), ['D-1001', 'D-1002', 'D-1003']);
    assert.equal((await unfurl('D-1002', 'isaiah')).body.composeExtension.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
  });

  it('the account view is made of the deals the person may read; an account with none of them is not found', async () => {
    const patti = said(await h.say('account Contoso Bank', { as: 'patti' }));
    const unknown = said(await h.say('account Northwind Traders', { as: 'patti' }));
    assert.equal(patti.replace('Contoso Bank', '…'), unknown.replace('Northwind Traders', '…'));
    const adele = said(await h.say('account Contoso Bank', { as: 'adele' }));
    assert.match(adele, /D-1001/);
    assert.doesNotMatch(adele, /D-1002/);
    assert.match(said(await h.say('account Contoso Bank', { as: 'lynne' })), /D-1001[\s\S]*D-1002|D-1002[\s\S]*D-1001/);
  });

  it('a manager\'s digest shows the team\'s deals, which the rule lets them read', async () => {
    const digest = said(await h.say('digest', { as: 'megan' }));
    assert.match(digest, /Your team \(2\)[\s\S]*Alex Wilber: \$3,500,000/);
  });
});

describe('DEAL_VISIBILITY=tenant (the default): everyone in the tenant reads every deal, on every path (issue 14, item 3)', function () {
  this.timeout(60_000);
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId });

  before(async () => {
    await h.start();
    await h.say('help', { as: 'patti' });
    await h.press('deal.create', contosoForm); // D-1001, Alex's
  });
  after(() => h.stop());

  it('reproduction: the link unfolds into the deal card and the search finds it for a colleague, as `deal D-1001` shows it', async () => {
    assert.match(said(await h.say('deal D-1001', { as: 'patti' })), /D-1001 · Prospect/);
    const link = (await invoke(h, queryLinkInvoke(h, `${PUBLIC}/deals/D-1001`, { as: 'patti' }))).body;
    assert.equal(link.composeExtension.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(link.composeExtension.attachments[0].content), /D-1001 · Prospect/);
    assert.deepEqual(ids((await invoke(h, searchInvoke(h, 'migration', { as: 'patti' }))).body), ['D-1001']);
  });

  it('an unknown id is simply not found (nothing is hidden)', async () => {
    assert.match(said(await h.say('deal D-9999', { as: 'patti' })), /I can't find a deal matching "D-9999"/);
    const link = (await invoke(h, queryLinkInvoke(h, `${PUBLIC}/deals/D-9999`, { as: 'patti' }))).body;
    assert.match(link.composeExtension.attachments[0].content.text, /There is no deal D-9999\./);
  });
});

describe('configuration: DEAL_VISIBILITY', () => {
  it('tenant by default, or team; anything else stops start-up with one line naming the variable', () => {
    assert.equal(loadConfig({}).settings.dealVisibility, 'tenant');
    assert.equal(loadConfig({ DEAL_VISIBILITY: 'team' }).settings.dealVisibility, 'team');
    assert.throws(() => loadConfig({ DEAL_VISIBILITY: 'owner' }), (e: unknown) => e instanceof ConfigError && /^DEAL_VISIBILITY: tenant \(.*\) or team \(.*\)$/.test(e.message) && !e.message.includes('\n'));
  });
});
