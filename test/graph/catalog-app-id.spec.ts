import assert from 'node:assert/strict';
import { USERS } from '../support/activities';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { FakeGraph } from '../support/fake-graph';
import { BOT_TENANT, FakeOpenId } from '../support/fake-openid';
import { useProcessManagedIdentity } from '../support/process-managed-identity';
import { waitFor } from '../support/wait-for';
import { contosoForm, TENANT } from '../bot/deal-fixtures';

/** This suite's bot: an app id of its own, so that no other suite's managed identity token (MSAL keeps them per process) is used. */
const BOT_APP_ID = '5a0e2c71-8b3f-4d19-a6e4-1c7d9f2b3a02';
const TEAMS_APP_ID = '6b1f8a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
/** The id the organisation's app catalog generated for DealDesk when it was published there. */
const CATALOG_ID = 'e3a1c9f0-7b2d-4c5e-9f81-2a3b4c5d6e7f';
const PEOPLE = { nestor: '00000000-0000-0000-0000-0000000000030', lidia: '00000000-0000-0000-0000-0000000000033', lee: '00000000-0000-0000-0000-0000000000031' };
const ENTRA = [
  { id: USERS.alex.aadObjectId, displayName: 'Alex Wilber', mail: 'alex@contoso.com' },
  { id: PEOPLE.nestor, displayName: 'Nestor Wilke', mail: 'nestor@contoso.com' },
  { id: PEOPLE.lidia, displayName: 'Lidia Holloway', mail: 'lidia@contoso.com' },
  { id: PEOPLE.lee, displayName: 'Lee Gu', mail: 'lee.gu@contoso.com' },
];

/**
 * Issue 17, item 3, installs of an app published to the organisation's catalog: `POST /users/{id}/teamwork/installedApps`
 * binds the app's catalog id, which the catalog generated and which is not the manifest's id (TEAMS_APP_ID). DealDesk
 * finds it once by `externalId`, or takes it from TEAMS_CATALOG_APP_ID. Graph is the local fake, whose catalog holds
 * DealDesk under CATALOG_ID and which refuses an install of any other id (404), as Graph does.
 */
describe("installs bind DealDesk's id in the organisation's Teams app catalog (GRAPH=on)", function () {
  this.timeout(30_000);
  const openId = new FakeOpenId();
  const identity = useProcessManagedIdentity();
  const graph = new FakeGraph(ENTRA);
  const lookups = () => graph.to('/v1.0/appCatalogs/teamsApps');
  const installs = (person: string) => graph.to(`/v1.0/users/${person}/teamwork/installedApps`, 'POST');

  before(async () => {
    await Promise.all([openId.start(), graph.start()]);
    graph.catalog.push({ id: CATALOG_ID, externalId: TEAMS_APP_ID, displayName: 'DealDesk' });
  });
  after(async () => {
    await Promise.all([openId.stop(), graph.stop()]);
  });

  async function dealDesk(env: NodeJS.ProcessEnv = {}): Promise<DealDeskHarness> {
    const h = new DealDeskHarness(
      { MicrosoftAppId: BOT_APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: BOT_TENANT, BOT_OPENID_METADATA_URL: openId.metadataUrl, GRAPH: 'on', GRAPH_URL: graph.url, TEAMS_APP_ID, ...env },
      { limits: false },
      { store: 'azure', authorization: (serviceUrl) => openId.bearer({ serviceurl: serviceUrl, aud: BOT_APP_ID }) },
    );
    await h.start();
    await h.say('help');
    await h.press('deal.create', contosoForm); // D-1001, Alex's
    return h;
  }

  /** Adds someone found only in Entra ID to D-1001 and changes the deal, so that an alert is due for them. */
  async function alertFor(h: DealDeskHarness, name: string, value: string): Promise<void> {
    assert.match(cardText((await h.say(`add ${name} to D-1001`)).cards[0]), /Added /);
    await h.say(`set D-1001 value ${value}`);
  }

  describe('looked up in the catalog', () => {
    let h: DealDeskHarness;
    before(async () => (h = await dealDesk()));
    after(() => h?.stop());
    beforeEach(() => graph.clearFaults());

    it('found by the manifest id, once: every install binds the catalog id, and the alerts arrive', async () => {
      const before = lookups().length;
      await alertFor(h, 'nestor', '3m');
      await waitFor("the alert in Nestor's new 1:1 chat", () => h.connector.messagesTo(`a:1on1-${PEOPLE.nestor}`).length > 0, 10_000);
      await alertFor(h, 'lidia', '4m');
      await waitFor("the alert in Lidia's new 1:1 chat", () => h.connector.messagesTo(`a:1on1-${PEOPLE.lidia}`).length > 0, 10_000);
      const asked = lookups().slice(before);
      assert.equal(asked.length, 1, 'looked up once, then kept');
      assert.equal(asked[0].query.get('$filter'), `externalId eq '${TEAMS_APP_ID}'`);
      for (const person of [PEOPLE.nestor, PEOPLE.lidia]) {
        assert.deepEqual(installs(person).map((r) => [r.status, r.body['teamsApp@odata.bind']]), [[201, `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${CATALOG_ID}`]]);
      }
    });
  });

  describe('the catalog may not be read', () => {
    let h: DealDeskHarness;
    before(async () => (h = await dealDesk()));
    after(() => h?.stop());
    afterEach(() => graph.clearFaults());

    it('the lookup not permitted (403): "app not installed", a warning naming the setting, and the owner told how to fix it', async () => {
      graph.fail({ path: /^\/v1\.0\/appCatalogs\/teamsApps$/, status: 403, code: 'Forbidden', times: Infinity });
      await alertFor(h, 'lee', '5m');
      const forLee = async () => (await h.store.deliveries.listForDeal(TENANT, 'D-1001', 50)).filter((d) => d.recipient.key === PEOPLE.lee);
      await waitFor("Lee's delivery finished", async () => (await forLee()).some((d) => d.state === 'notInstalled'), 10_000);
      assert.equal((await forLee())[0].lastError?.code, 'AppNotInstalled');
      assert.equal(installs(PEOPLE.lee).length, 0, 'no install of an id Graph would not know');
      assert.ok(h.logger.lines.some((l) => l.level === 'warn' && /AppCatalog\.Read\.All/.test(l.msg ?? '') && /TEAMS_CATALOG_APP_ID/.test(l.msg ?? '')));
      const note = () => h.connector.messagesTo('a:personal-alex').map((m) => JSON.stringify(m.attachments ?? [])).find((a) => /Lee Gu does not have DealDesk yet/.test(a));
      await waitFor('the owner told', () => note() !== undefined, 10_000);
      const text = cardText(JSON.parse(note()!)[0].content);
      assert.match(text, /cannot find its app in your organisation's Teams app catalog: an admin can grant the AppCatalog\.Read\.All application permission, or set TEAMS_CATALOG_APP_ID/);
      assert.match(text, new RegExp(`https://teams\\.microsoft\\.com/l/app/${TEAMS_APP_ID}`));
    });
  });

  describe('TEAMS_CATALOG_APP_ID set', () => {
    let h: DealDeskHarness;
    before(async () => (h = await dealDesk({ TEAMS_CATALOG_APP_ID: CATALOG_ID })));
    after(() => h?.stop());

    it('binds it without looking anything up', async () => {
      graph.installed.delete(PEOPLE.nestor);
      const before = { lookups: lookups().length, installs: installs(PEOPLE.nestor).length };
      await alertFor(h, 'nestor', '6m');
      await waitFor('the install', () => installs(PEOPLE.nestor).length > before.installs, 10_000);
      assert.equal(installs(PEOPLE.nestor).at(-1)!.body['teamsApp@odata.bind'], `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${CATALOG_ID}`);
      assert.equal(installs(PEOPLE.nestor).at(-1)!.status, 201);
      assert.equal(lookups().length, before.lookups);
    });
  });
});
