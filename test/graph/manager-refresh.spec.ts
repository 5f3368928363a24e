import assert from 'node:assert/strict';
import { personalText, USERS } from '../support/activities';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { FakeGraph } from '../support/fake-graph';
import { BOT_TENANT, FakeOpenId } from '../support/fake-openid';
import { useProcessManagedIdentity } from '../support/process-managed-identity';
import { sleep, waitFor } from '../support/wait-for';
import { TENANT } from '../bot/deal-fixtures';

/** This suite's bot: an app id of its own, so that no other suite's managed identity token (MSAL keeps them per process) is used. */
const BOT_APP_ID = '5a0e2c71-8b3f-4d19-a6e4-1c7d9f2b3a03';
const NESTOR = '00000000-0000-0000-0000-0000000000030';
const HOUR = 3_600_000;
const ENTRA = [
  { id: USERS.megan.aadObjectId, displayName: 'Megan Bowen', mail: 'megan@contoso.com' },
  { id: USERS.adele.aadObjectId, displayName: 'Adele Vance', mail: 'adele@contoso.com' },
  { id: NESTOR, displayName: 'Nestor Wilke', mail: 'nestor@contoso.com' },
];

/**
 * Issue 17, item 3, managers kept fresh: a person's manager from Entra ID is read again once the one recorded is a day
 * old, on their next turn, off the turn, and at most once a day per person (restarts included). DealDesk's clock is
 * the harness's, moved forward by hand.
 */
describe("a person's Entra ID manager is re-read when a day old, on their next turn (GRAPH=on)", function () {
  this.timeout(30_000);
  const openId = new FakeOpenId();
  const identity = useProcessManagedIdentity();
  const graph = new FakeGraph(ENTRA);
  let h: DealDeskHarness;
  const nestor = () => h.store.people.get(TENANT, NESTOR);
  const managerReads = () => graph.to(`/v1.0/users/${NESTOR}/manager`).length;
  /** Nestor writes to DealDesk in his 1:1 chat; resolves when the turn is answered. */
  const nestorSays = async (text: string) => {
    const activity = personalText(text, { serviceUrl: h.connector.url });
    activity.from = { ...activity.from, id: '29:nestor', name: 'Nestor Wilke', aadObjectId: NESTOR };
    activity.conversation.id = 'a:personal-nestor';
    return h.send(activity);
  };

  before(async () => {
    await Promise.all([openId.start(), graph.start()]);
    h = new DealDeskHarness(
      { MicrosoftAppId: BOT_APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: BOT_TENANT, BOT_OPENID_METADATA_URL: openId.metadataUrl, GRAPH: 'on', GRAPH_URL: graph.url },
      { limits: false },
      { store: 'azure', authorization: (serviceUrl) => openId.bearer({ serviceurl: serviceUrl, aud: BOT_APP_ID }) },
    );
    await h.start();
  });
  after(async () => {
    await h?.stop();
    await Promise.all([openId.stop(), graph.stop()]);
  });

  it('read on the first turn; within the day, turns and a restart do not ask Entra ID again', async () => {
    graph.managers.set(NESTOR, USERS.megan.aadObjectId);
    await nestorSays('help');
    await waitFor("Nestor's manager from Entra ID", async () => (await nestor())?.managerId === USERS.megan.aadObjectId);
    const readAt = Date.parse((await nestor())?.managerReadAt ?? '');
    assert.ok(Math.abs(readAt - h.clock.now().getTime()) < 60_000, `read at DealDesk's time: ${(await nestor())?.managerReadAt}`);
    assert.equal(managerReads(), 1);
    graph.managers.set(NESTOR, USERS.adele.aadObjectId); // Entra ID changes; DealDesk learns it tomorrow
    h.advance(23 * HOUR);
    for (const text of ['help', 'my deals', 'help']) await nestorSays(text);
    await h.restart();
    await nestorSays('help');
    await sleep(300);
    assert.equal(managerReads(), 1, 'one read a day');
    assert.equal((await nestor())?.managerId, USERS.megan.aadObjectId);
  });

  it('a day later: read again on the next turn, without the reply waiting for Entra ID, once however many turns', async () => {
    h.advance(2 * HOUR); // 25 h after the first read
    graph.fail({ path: new RegExp(`/users/${NESTOR}/manager$`), delayMs: 1500, times: 1 }); // Entra ID answers slowly
    const started = Date.now();
    const said = await nestorSays('help');
    const took = Date.now() - started;
    assert.ok(said.texts.length + said.cards.length > 0, 'answered');
    assert.ok(took < 1000, `the reply took ${took} ms: it waited for Entra ID`);
    for (const text of ['help', 'help']) await nestorSays(text);
    await waitFor('the new manager recorded', async () => (await nestor())?.managerId === USERS.adele.aadObjectId, 5000);
    assert.equal((await nestor())?.managerSource, 'entra');
    assert.equal(managerReads(), 2, 'one more read, not one per turn');
  });

  it('a failed read is not tried again within the day either', async () => {
    h.advance(25 * HOUR);
    graph.fail({ path: new RegExp(`/users/${NESTOR}/manager$`), status: 503, times: Infinity });
    const before = managerReads();
    await nestorSays('help');
    await waitFor('the read tried', () => managerReads() > before, 5000);
    await sleep(2000); // its retries within GRAPH_DEADLINE_MS
    const tried = managerReads();
    for (const text of ['help', 'help']) await nestorSays(text);
    await sleep(300);
    assert.equal(managerReads(), tried, 'no new read within the day');
    assert.equal((await nestor())?.managerId, USERS.adele.aadObjectId, 'what was known stays');
    graph.clearFaults();
  });
});
