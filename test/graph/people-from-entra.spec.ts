import assert from 'node:assert/strict';
import { metrics } from '../../src/metrics/metrics';
import { personalText, USERS } from '../support/activities';
import { buttons, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { FakeGraph } from '../support/fake-graph';
import { BOT_APP_ID, BOT_TENANT, FakeOpenId } from '../support/fake-openid';
import { useProcessManagedIdentity } from '../support/process-managed-identity';
import { sleep, waitFor } from '../support/wait-for';
import { contosoForm, TENANT } from '../bot/deal-fixtures';

const NESTOR = '00000000-0000-0000-0000-0000000000030';
const LEE_GU = '00000000-0000-0000-0000-0000000000031';
const LEE_DAVIS = '00000000-0000-0000-0000-0000000000032';
const LIDIA = '00000000-0000-0000-0000-0000000000033';
const TEAMS_APP_ID = '6b1f8a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const ADMIN_GROUP = '7c2e9b63-4d5e-4f60-9b0c-1d2e3f4a5b6c';

/** Entra ID's people: some DealDesk knows (same object ids as in Teams), some it never met. */
const ENTRA = [
  { id: USERS.alex.aadObjectId, displayName: 'Alex Wilber', mail: 'alex@contoso.com' },
  { id: USERS.megan.aadObjectId, displayName: 'Megan Bowen', mail: 'megan@contoso.com' },
  { id: USERS.adele.aadObjectId, displayName: 'Adele Vance', mail: 'adele@contoso.com' },
  { id: NESTOR, displayName: 'Nestor Wilke', mail: 'nestor@contoso.com' },
  { id: LEE_GU, displayName: 'Lee Gu', mail: 'lee.gu@contoso.com' },
  { id: LEE_DAVIS, displayName: 'Lee Davis', mail: 'lee.davis@contoso.com' },
  { id: LIDIA, displayName: 'Lidia Holloway', mail: 'lidia@contoso.com' },
];

/**
 * Issue 17, item 3: people from Entra ID through Microsoft Graph. DealDesk runs in Azure mode (authentication on, a
 * UserAssignedMSI bot, Cosmos DB through the real client) with GRAPH=on; its tokens come from a stand-in of App
 * Service's managed identity endpoint, Graph is a local fake (GRAPH_URL), Teams the fake connector. Everything goes
 * through /api/messages with the channel's signed tokens.
 */
describe('people from Entra ID through Microsoft Graph (Azure mode, GRAPH=on)', function () {
  this.timeout(30_000);
  const openId = new FakeOpenId();
  const identity = useProcessManagedIdentity();
  const graph = new FakeGraph(ENTRA);
  let h: DealDeskHarness;
  const person = (id: string) => h.store.people.get(TENANT, id);
  const team = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal.team.map((m) => m.person.name);
  const graphSearches = () => graph.to('/v1.0/users').filter((r) => r.path === '/v1.0/users');

  before(async () => {
    await Promise.all([openId.start(), graph.start()]);
    h = new DealDeskHarness(
      {
        MicrosoftAppId: BOT_APP_ID,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: BOT_TENANT,
        BOT_OPENID_METADATA_URL: openId.metadataUrl,
        GRAPH: 'on',
        GRAPH_URL: graph.url,
        GRAPH_DEADLINE_MS: '1500',
        TEAMS_APP_ID,
        ADMINS: USERS.alex.aadObjectId,
        ADMIN_GROUP_ID: ADMIN_GROUP,
      },
      { limits: false },
      { store: 'azure', authorization: (serviceUrl) => openId.bearer({ serviceurl: serviceUrl }) },
    );
    await h.start();
    await h.say('help'); // Alex: known, with his 1:1 chat
    await h.say('help', { as: 'megan' });
    await h.say('help', { as: 'adele' });
    await h.press('deal.create', contosoForm); // D-1001, Alex's
  });
  after(async () => {
    await h?.stop();
    await Promise.all([openId.stop(), graph.stop()]);
  });
  beforeEach(() => graph.clearFaults());

  it('the token for Graph is the bot\'s own managed identity\'s', async () => {
    await h.say('manager Megan Bowen');
    const asked = identity().requests;
    assert.ok(asked.some((r) => r.resource === 'https://graph.microsoft.com' && r.clientId === BOT_APP_ID), JSON.stringify(asked));
  });

  it('someone DealDesk never met is found in Entra ID and added to a deal; they become known', async () => {
    assert.equal(await person(NESTOR), undefined);
    const said = await h.say('add nestor to D-1001 as architect');
    assert.match(cardText(said.cards[0]), /Added Nestor Wilke\./);
    assert.deepEqual(await team('D-1001'), ['Nestor Wilke']);
    const recorded = await person(NESTOR);
    assert.equal(recorded?.name, 'Nestor Wilke');
    assert.equal(recorded?.email, 'nestor@contoso.com');
    const search = graphSearches().at(-1)!;
    assert.equal(search.headers.consistencylevel, 'eventual');
    assert.match(search.query.get('$search')!, /"displayName:nestor"/);
  });

  it('a search reads every page (@odata.nextLink); several matches give the choice card, and choosing adds that one', async () => {
    graph.pageSize = 1;
    const before = graphSearches().length;
    const said = await h.say('add lee to D-1001');
    graph.pageSize = 2;
    const pages = graphSearches().slice(before);
    assert.equal(pages.length, 2, 'two pages of one');
    assert.equal(pages[1].query.get('$skiptoken'), '1');
    const card = said.cards[0];
    assert.match(cardText(card), /Several people match "lee"/);
    const choice = buttons(card).find((b) => b.title.startsWith('Lee Davis'))!;
    assert.ok(choice, buttons(card).map((b) => b.title).join(', '));
    assert.equal(buttons(card).filter((b) => b.title.startsWith('Lee ')).length, 2);
    const done = await h.press(choice.verb, choice.data);
    assert.match(cardText(done.card!), /Added Lee Davis\./);
    assert.equal((await person(LEE_DAVIS))?.name, 'Lee Davis');
    assert.equal(await person(LEE_GU), undefined, 'only the one chosen is recorded');
  });

  it("a person's manager comes from Entra ID; an admin's set manager overrides it and says so, and Entra ID does not undo it", async () => {
    graph.managers.set(NESTOR, USERS.megan.aadObjectId);
    graph.managers.set(LEE_GU, USERS.adele.aadObjectId);
    // Lee Gu becomes known when found: their manager is read from Entra ID, off the turn.
    await h.say('manager Lee Gu');
    await waitFor("Lee Gu's manager from Entra ID", async () => (await person(LEE_GU))?.managerId === USERS.adele.aadObjectId);
    assert.equal((await person(LEE_GU))?.managerSource, 'entra');
    assert.match((await h.say('manager Lee Gu')).texts[0], /Lee Gu's manager is Adele Vance \(from Entra ID\)\./);
    const said = await h.say('set manager Lee Gu to Megan Bowen');
    assert.match(said.texts[0], /Megan Bowen is now Lee Gu's manager in DealDesk\. This overrides Entra ID, which says Adele Vance\./);
    const after = await person(LEE_GU);
    assert.equal(after?.managerId, USERS.megan.aadObjectId);
    assert.equal(after?.managerSource, 'admin');
    // Lee Gu writes to DealDesk for the first time (when a manager is read from Entra ID): the admin's choice stays.
    const asked = graph.to(`/v1.0/users/${LEE_GU}/manager`).length;
    const lee = personalText('help', { serviceUrl: h.connector.url });
    lee.from = { ...lee.from, id: '29:leegu', name: 'Lee Gu', aadObjectId: LEE_GU };
    lee.conversation.id = 'a:personal-leegu';
    await h.send(lee);
    await sleep(300);
    assert.equal(graph.to(`/v1.0/users/${LEE_GU}/manager`).length, asked, 'a manager set in DealDesk is not even looked up');
    assert.equal((await person(LEE_GU))?.managerId, USERS.megan.aadObjectId);
    assert.match((await h.say('manager Lee Gu')).texts[0], /Lee Gu's manager is Megan Bowen\./);
  });

  it('a deal team member who never installed DealDesk: DealDesk installs itself for them and their alert arrives', async () => {
    const conversation = `a:1on1-${NESTOR}`;
    await h.say('set D-1001 value 3m');
    await waitFor('the alert in Nestor\'s new 1:1 chat', () => h.connector.messagesTo(conversation).length > 0, 10_000);
    const install = graph.to(`/v1.0/users/${NESTOR}/teamwork/installedApps`, 'POST');
    assert.equal(install.length, 1);
    assert.equal(install[0].body['teamsApp@odata.bind'], `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${TEAMS_APP_ID}`);
    assert.match(cardText(h.connector.messagesTo(conversation)[0].attachments[0].content), /D-1001/);
  });

  it('without the install permission: the delivery says "app not installed", and the owner gets one message with an install link', async () => {
    graph.fail({ path: /\/teamwork\/installedApps$/, status: 403, code: 'Forbidden', times: Infinity });
    await h.say('add lidia to D-1001');
    const ownersChat = 'a:personal-alex';
    const installNotes = () => h.connector.messagesTo(ownersChat).filter((m) => /Lidia Holloway does not have DealDesk yet/.test(JSON.stringify(m.attachments ?? [])));
    await h.say('set D-1001 value 4m');
    await waitFor('the owner told', () => installNotes().length === 1, 10_000);
    const note = cardText(installNotes()[0].attachments[0].content);
    assert.match(note, new RegExp(`https://teams\\.microsoft\\.com/l/app/${TEAMS_APP_ID}`));
    assert.match(note, /TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
    const forLidia = async () => (await h.store.deliveries.listForDeal(TENANT, 'D-1001', 50)).filter((d) => d.recipient.key === LIDIA);
    await waitFor("Lidia's delivery finished", async () => (await forLidia()).some((d) => d.state === 'notInstalled'));
    assert.equal((await forLidia())[0].lastError?.code, 'AppNotInstalled');
    await h.say('set D-1001 value 6m');
    await waitFor("Lidia's second delivery finished", async () => (await forLidia()).filter((d) => d.state === 'notInstalled').length === 2, 10_000);
    await sleep(300);
    assert.equal(installNotes().length, 1, 'one message to the owner, not one per alert');
  });

  it('429 with Retry-After: waited for (within the deadline), counted, and the lookup succeeds', async () => {
    const throttledBefore = metrics.graphThrottled.value();
    graph.fail({ path: /^\/v1\.0\/users$/, status: 429, retryAfter: '1', times: 1 });
    const started = Date.now();
    const said = await h.say('manager Nestor Wilke');
    assert.ok(Date.now() - started >= 1000, 'Retry-After honoured');
    assert.match(said.texts[0], /Nestor Wilke/);
    assert.doesNotMatch(said.texts[0], /could not be searched/);
    assert.equal(metrics.graphThrottled.value() - throttledBefore, 1);
  });

  it('a Retry-After longer than the deadline: the people DealDesk knows answer, and the reply says it may be incomplete', async () => {
    graph.fail({ path: /^\/v1\.0\/users$/, status: 429, retryAfter: '30', times: 1 });
    const said = await h.say('manager Megan Bowen');
    assert.match(said.texts[0], /Megan Bowen/);
    assert.match(said.texts[0], /Entra ID could not be searched just now, so this may not be everyone who matches\./);
  });

  it('5xx: tried again with backoff, and the lookup succeeds', async () => {
    const before = graphSearches().length;
    graph.fail({ path: /^\/v1\.0\/users$/, status: 503, times: 2 });
    const said = await h.say('manager Adele Vance');
    assert.doesNotMatch(said.texts[0], /could not be searched/);
    assert.deepEqual(graphSearches().slice(before).map((r) => r.status), [503, 503, 200]);
  });

  it('403 (consent missing): the reply names the permission for the admin, and a warning is logged', async () => {
    graph.fail({ path: /^\/v1\.0\/users$/, status: 403, code: 'Authorization_RequestDenied', times: Infinity });
    const unknown = await h.say('add Zed Nobody to D-1001');
    assert.match(unknown.texts[0], /I don't know anyone matching "Zed Nobody"\. Entra ID refused the search: DealDesk lacks the User\.ReadBasic\.All application permission/);
    const known = await h.say('manager Megan Bowen');
    assert.match(known.texts[0], /For an admin: Entra ID refused the search because DealDesk lacks the User\.ReadBasic\.All application permission/);
    assert.ok(h.logger.lines.some((l) => l.level === 'warn' && /User\.ReadBasic\.All/.test(l.msg ?? '')));
    const zh = await h.say('manager Megan Bowen', { locale: 'zh-CN' });
    assert.match(zh.texts[0], /致管理员：Entra ID 拒绝了搜索，因为 DealDesk 缺少 User\.ReadBasic\.All 应用程序权限/);
  });

  it('Graph too slow: the turn does not wait past the deadline, and falls back to the people DealDesk knows', async () => {
    graph.fail({ path: /^\/v1\.0\/users$/, delayMs: 4000, status: 200, times: 1 });
    const started = Date.now();
    const said = await h.say('add Zed Nobody to D-1001');
    assert.ok(Date.now() - started < 3500, `${Date.now() - started} ms`);
    assert.match(said.texts[0], /I don't know anyone matching "Zed Nobody", and Entra ID could not be searched just now/);
    const zh = await h.say('add Zed Nobody to D-1001', { locale: 'zh-CN' });
    assert.ok(zh.texts[0]);
  });

  it('ADMIN_GROUP_ID: a member of the Entra group is an admin; someone outside it is not', async () => {
    graph.groups.set(ADMIN_GROUP, new Set([USERS.megan.aadObjectId]));
    const megan = await h.say('set approvers 1 adele vance', { as: 'megan' });
    assert.match(cardText(megan.cards[0]), /Adele Vance/);
    assert.match((await h.say('set approvers 1 megan bowen', { as: 'adele' })).texts[0], /Only a DealDesk admin/);
    assert.ok(graph.to(`/v1.0/users/${USERS.megan.aadObjectId}/checkMemberGroups`, 'POST').length >= 1);
  });
});
