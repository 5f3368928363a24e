import assert from 'node:assert/strict';
import { USERS, addedToTeam, installedByThemselves, memberJoined, memberLeft, type UserKey } from '../support/activities';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import type { FakeMember } from '../support/fake-teams';
import { sleep, waitFor } from '../support/wait-for';
import { TENANT, contosoForm } from './deal-fixtures';

/** The team of the members-added fixture: its General channel has the team's id. */
const TEAM = '19:a8b7c6d5e4f34a2b1c0d9e8f7a6b5c4d@thread.tacv2';
const member = (who: UserKey): FakeMember => ({ ...USERS[who], email: `${who}@contoso.com` });

describe('everyone DealDesk meets is known: installs and team rosters (through /api/messages)', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness();
  const at = () => ({ serviceUrl: h.connector.url });
  /** What Alex reads in answer to a command, cards and texts together. */
  const reply = async (text: string, as: UserKey = 'alex') => {
    const said = await h.say(text, { as });
    return [...said.texts, ...said.cards.map(cardText)].join('\n');
  };
  const alertsIn = (conversationId: string) =>
    h.connector.messagesTo(conversationId).flatMap((m) => (m.attachments ?? []).map((a: any) => a.content)).filter((c: any) => /Changed by/.test(cardText(c)));
  const rosterIs = (...who: UserKey[]) => h.connector.setRoster(who.map(member), TEAM);

  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001, Alex's
    await h.say('help', { as: 'megan' }); // Megan has written to DealDesk
  });
  after(() => h.stop());

  it('someone who only installed DealDesk, and never wrote to it, can be added to a deal by name and hears its alerts 1:1', async () => {
    assert.match(await reply('add patti to D-1001'), /I don't know anyone matching "patti"/);
    const install = await h.post(installedByThemselves({ ...at(), as: 'patti' }));
    assert.equal(install.status, 200);
    const patti = await h.store.people.get(TENANT, USERS.patti.aadObjectId);
    assert.equal(patti?.name, 'Patti Fernandez', 'her name comes from Teams: the install names her by id only');
    assert.equal(patti?.email, 'patti@contoso.com');

    assert.match(await reply('add patti to D-1001 as architect'), /Added Patti Fernandez\./);
    h.connector.reset();
    await h.say('move D-1001 to qualify');
    const alert = await waitFor("the alert in Patti's chat, the one she installed DealDesk in", () => alertsIn('a:personal-patti')[0]);
    assert.match(cardText(alert), /Stage: Prospect → Qualify/);
    assert.equal(h.connector.created.length, 0, 'no chat had to be opened: the install gave DealDesk hers');
  });

  it('a member who joins a team DealDesk is installed in is known after membersAdded: the roster is read again', async () => {
    rosterIs('alex', 'megan', 'isaiah', 'adele');
    await h.send(addedToTeam(at())); // DealDesk added to the team: its roster read
    assert.match(await reply('add lynne to D-1001'), /I don't know anyone matching "lynne"/);

    rosterIs('alex', 'megan', 'isaiah', 'adele', 'lynne');
    const reads = h.connector.requests.filter((r) => r.kind === 'pagedmembers').length;
    assert.equal((await h.post(memberJoined('lynne', { ...at(), as: 'alex' }))).status, 200);
    assert.equal(h.connector.requests.filter((r) => r.kind === 'pagedmembers').length, reads + 1, 'the roster read once more');
    assert.match(await reply('add lynne to D-1001 as delivery manager'), /Added Lynne Robbins\./);
    assert.deepEqual((await h.store.people.get(TENANT, USERS.lynne.aadObjectId))?.teamIds, [TEAM]);
  });

  it('a member who leaves is no longer offered; one on a deal team stays on it; one who wrote to DealDesk stays known', async () => {
    assert.match(await reply('add isaiah to D-1001 as architect'), /Added Isaiah Langer\./);
    rosterIs('alex', 'lynne');
    assert.equal((await h.post(memberLeft('isaiah', { ...at(), as: 'alex' }))).status, 200);

    assert.match(await reply('add adele to D-1001'), /I don't know anyone matching "adele"/, 'Adele left too: the roster read again shows it');
    assert.match(await reply('add isaiah to D-1001'), /I don't know anyone matching "isaiah"/);
    assert.match(await reply('team D-1001'), /Isaiah Langer/, 'leaving the Teams team is not leaving the deal');
    assert.match(await reply('add megan to D-1001 as architect'), /Added Megan Bowen\./, 'Megan wrote to DealDesk: known in her own right');
    assert.match(await reply('add patti to D-1001'), /Patti Fernandez/, 'Patti installed DealDesk: known whatever rosters say');

    rosterIs('alex', 'lynne', 'adele');
    await h.post(memberJoined('adele', { ...at(), as: 'alex' }));
    assert.match(await reply('add adele to D-1001'), /Added Adele Vance\./, 'back on the team: offered again');
  });

  it('uninstalling keeps "don\'t send there": alerts skip that chat, and the delivery says DealDesk is not installed', async () => {
    await h.post(installedByThemselves({ ...at(), as: 'patti' }, 'remove'));
    assert.equal((await h.store.conversations.get(TENANT, 'a:personal-patti'))?.installed, false);
    h.connector.reset();
    await h.say('move D-1001 to prospect back to the start');
    await waitFor("Patti's delivery recorded as not installed", async () =>
      (await h.store.deliveries.listForDeal(TENANT, 'D-1001', 50)).some((d) => d.recipient.key === USERS.patti.aadObjectId && d.state === 'notInstalled'));
    await sleep(200);
    assert.equal(alertsIn('a:personal-patti').length, 0);
    assert.ok(!h.connector.created.some((c) => c.memberId === USERS.patti.id), 'no other chat is opened with her behind her back');
  });
});
