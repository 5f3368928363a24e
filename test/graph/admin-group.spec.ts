import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { USERS } from '../support/activities';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { FakeGraph } from '../support/fake-graph';
import { BOT_TENANT, FakeOpenId } from '../support/fake-openid';
import { useProcessManagedIdentity } from '../support/process-managed-identity';
import { waitFor } from '../support/wait-for';
import { contosoForm } from '../bot/deal-fixtures';
import CHANNEL from '../fixtures/channel-message.json';

/** This suite's bot: an app id of its own, so that no other suite's managed identity token (MSAL keeps them per process) is used. */
const BOT_APP_ID = '5a0e2c71-8b3f-4d19-a6e4-1c7d9f2b3a01';
const ADMIN_GROUP = '7c2e9b63-4d5e-4f60-9b0c-1d2e3f4a5b6c';
const ENTRA = [USERS.alex, USERS.megan, USERS.adele].map((u) => ({ id: u.aadObjectId, displayName: u.name, mail: `${u.name.split(' ')[0].toLowerCase()}@contoso.com` }));

/**
 * Issue 17, item 3: `ADMIN_GROUP_ID` counts wherever `ADMINS` does. Nobody is listed in ADMINS here; Megan Bowen is a
 * member of the Entra group, Adele Vance is not, and neither owns, is on, or manages the owner of D-1001 (Alex's).
 * Deals are visible to their team only (DEAL_VISIBILITY=team), so reading one is an admin's right too. Each path that
 * asks "is this person an admin" is tried through /api/messages; the last test checks no other admin check exists.
 */
describe('ADMIN_GROUP_ID counts wherever ADMINS counts (Azure mode, GRAPH=on)', function () {
  this.timeout(30_000);
  const openId = new FakeOpenId();
  const identity = useProcessManagedIdentity();
  const graph = new FakeGraph(ENTRA);
  let h: DealDeskHarness;

  before(async () => {
    await Promise.all([openId.start(), graph.start()]);
    graph.groups.set(ADMIN_GROUP, new Set([USERS.megan.aadObjectId]));
    h = new DealDeskHarness(
      {
        MicrosoftAppId: BOT_APP_ID,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: BOT_TENANT,
        BOT_OPENID_METADATA_URL: openId.metadataUrl,
        GRAPH: 'on',
        GRAPH_URL: graph.url,
        ADMINS: '',
        ADMIN_GROUP_ID: ADMIN_GROUP,
        DEAL_VISIBILITY: 'team',
      },
      { limits: false },
      { store: 'azure', authorization: (serviceUrl) => openId.bearer({ serviceurl: serviceUrl, aud: BOT_APP_ID }) },
    );
    await h.start();
    await h.say('help');
    await h.say('help', { as: 'megan' });
    await h.say('help', { as: 'adele' });
    await h.press('deal.create', contosoForm); // D-1001, Alex's
  });
  after(async () => {
    await h?.stop();
    await Promise.all([openId.stop(), graph.stop()]);
  });

  const reply = (said: { texts: string[]; cards: Array<Record<string, any>> }) => [...said.texts, ...said.cards.map((c) => cardText(c))].join('\n');

  it('reading a deal only its team may read (deal visibility)', async () => {
    assert.match(reply(await h.say('deal D-1001', { as: 'megan' })), /Contoso/);
    assert.doesNotMatch(reply(await h.say('deal D-1001', { as: 'adele' })), /Contoso/);
  });

  it("changing the deal team of someone else's deal", async () => {
    assert.match(reply(await h.say('add adele to D-1001', { as: 'megan' })), /Added Adele Vance\./);
    assert.doesNotMatch(reply(await h.say('add alex to D-1001', { as: 'adele' })), /Added/);
    await h.say('remove adele from D-1001', { as: 'megan' });
  });

  it('set manager and set quota', async () => {
    assert.match(reply(await h.say('set manager Adele Vance to Alex Wilber', { as: 'megan' })), /Alex Wilber is now Adele Vance's manager/);
    assert.match(reply(await h.say('set manager Megan Bowen to Alex Wilber', { as: 'adele' })), /Only a DealDesk admin/);
    assert.doesNotMatch(reply(await h.say('set quota Alex Wilber pg1 1m pg2 2m', { as: 'megan' })), /not allowed|can't|cannot|Only/i);
    assert.match(reply(await h.say('set quota Alex Wilber pg1 1m pg2 2m', { as: 'adele' })), /can't|cannot|not allowed|Only/i);
  });

  it("following a deal in a channel, and the follow's alerts arriving there (the alert dispatcher decides the follower is an admin)", async () => {
    const channel = CHANNEL.channelData.channel.id; // a follow's alerts start a new thread in the channel
    assert.match(reply(await h.sayInChannel('follow D-1001', { as: 'adele' })), /You don't have access to a deal matching "D-1001"/);
    const following = reply(await h.sayInChannel('follow D-1001', { as: 'megan' }));
    assert.match(following, /follow/i);
    assert.doesNotMatch(following, /can't|cannot|not allowed/i, following);
    const before = h.connector.messagesTo(channel).length;
    await h.say('set D-1001 value 3m');
    await waitFor('the alert in the channel Megan follows it in', () => h.connector.messagesTo(channel).slice(before).some((m) => /D-1001/.test(JSON.stringify(m.attachments ?? []))), 10_000);
  });

  it('reassigning a deal whose owner they do not manage', async () => {
    assert.doesNotMatch(reply(await h.say('reassign D-1001 to Megan Bowen', { as: 'adele' })), /D-1001 is now/);
    assert.match(reply(await h.say('reassign D-1001 to Adele Vance', { as: 'megan' })), /D-1001 is now Adele Vance's \(it was Alex Wilber's\)\./);
  });

  it('every admin check goes through app/authorise.ts (nothing else reads ADMINS or ADMIN_GROUP_ID)', () => {
    const src = join(__dirname, '..', '..', 'src');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []));
    // Reading the settings (`.admins`, `.adminGroupId`, `settings: { admins }` taken apart) or asking the group itself.
    const reads = /\.admins\b|\.adminGroupId\b|\{[^}]*\badmins\b[^}]*\}\s*=|\bisMemberOf\(|\binAdminGroup\(/;
    const readers = files(src).filter((file) => reads.test(readFileSync(file, 'utf8'))).map((file) => relative(src, file));
    const allowed = ['app/authorise.ts', 'app/admin-group.ts', 'graph/graph-directory.ts', 'ports/directory.port.ts'];
    assert.deepEqual(readers.filter((file) => !allowed.includes(file)), []);
    assert.ok(readers.includes('app/authorise.ts'), 'the check sees the one place that decides');
  });
});
