import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cardPress } from '../support/activities';
import { cardText, rendered } from '../support/card-query';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { FakeEntraToken } from '../support/fake-entra-token';
import { FakeGraph } from '../support/fake-graph';
import { BOT_APP_ID, BOT_TENANT, FakeOpenId } from '../support/fake-openid';
import { FakeTeams } from '../support/fake-teams';
import { type RunningMain, startMain, stopWith } from '../support/run-main';

const SECRET = 'bot-client-secret-value';
const NESTOR = '00000000-0000-0000-0000-0000000000030';
const ENTRA = [
  { id: '00000000-0000-0000-0000-0000000000020', displayName: 'Alex Wilber', mail: 'alex@contoso.com' },
  { id: NESTOR, displayName: 'Nestor Wilke', mail: 'nestor@contoso.com' },
];

/**
 * Issue 17, item 3, the client secret: a SingleTenant bot gets its Graph token from Entra ID's token endpoint through
 * @azure/identity (authority AZURE_AUTHORITY_HOST). MSAL only speaks HTTPS and trusts only the process's CAs, so
 * DealDesk runs as `npm start` does, in its own process, trusting the fake token endpoint's test CA through
 * NODE_EXTRA_CA_CERTS; Graph is the local fake, Cosmos DB the embedded server. Each turn is a real Teams
 * Action.Execute (`command.run`) posted to /api/messages with the channel's signed token, and its reply is in the
 * invoke's answer.
 */
describe('Graph token from the client secret (SingleTenant, a DealDesk process against a fake Entra token endpoint)', function () {
  this.timeout(90_000);
  const entra = new FakeEntraToken(SECRET);
  const openId = new FakeOpenId();
  const graph = new FakeGraph(ENTRA);
  const teams = new FakeTeams({ limits: false });
  let store: TestStore;
  let running: RunningMain | undefined;

  before(async () => {
    await Promise.all([entra.start(), openId.start(), graph.start(), teams.start()]);
    store = await startTestStore();
  });
  afterEach(async () => {
    if (running) await stopWith(running, 'SIGTERM');
    running = undefined;
  });
  after(async () => {
    await store?.stop();
    await Promise.all([entra.stop(), openId.stop(), graph.stop(), teams.stop()]);
  });

  const start = async () => {
    running = await startMain({
      PORT: '0', HOST: '127.0.0.1', PLAYGROUND: 'off', LOG_LEVEL: 'warn', APPLICATIONINSIGHTS_CONNECTION_STRING: '',
      MicrosoftAppId: BOT_APP_ID, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: BOT_TENANT, MicrosoftAppPassword: SECRET,
      BOT_OPENID_METADATA_URL: openId.metadataUrl,
      COSMOS_ENDPOINT: store.endpoint, COSMOS_KEY: store.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: `secret-${randomUUID()}`,
      GRAPH: 'on', GRAPH_URL: graph.url, GRAPH_DEADLINE_MS: '3000', AZURE_AUTHORITY_HOST: entra.authorityHost, NODE_EXTRA_CA_CERTS: entra.caFile,
    }, 60_000);
    return running;
  };

  /** Presses a button that runs `command`, as Alex in his 1:1 chat; the text DealDesk answers with (as Teams shows it). */
  const run = async (command: string): Promise<string> => {
    const activity = cardPress('command.run', { command }, { serviceUrl: teams.url });
    const res = await fetch(`${running!.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: openId.bearer({ serviceurl: teams.url }) },
      body: JSON.stringify(activity),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const answer = (await res.json()) as { statusCode: number; type: string; value: unknown };
    assert.equal(answer.statusCode, 200, JSON.stringify(answer));
    return typeof answer.value === 'string' ? rendered(answer.value) : cardText(answer.value as object);
  };

  it('a lookup finds a person in Entra ID with a token for Graph from the client secret, asked for once for several lookups', async () => {
    const before = entra.tokenRequests.length;
    await start();
    assert.match(await run('manager Nestor Wilke'), /Nestor Wilke/);
    assert.match(await run('manager nestor'), /Nestor Wilke/);
    assert.match(await run('manager Nestor'), /Nestor Wilke/);
    const asked = entra.tokenRequests.slice(before);
    assert.deepEqual(asked, [{ tenant: BOT_TENANT, grantType: 'client_credentials', clientId: BOT_APP_ID, scope: 'https://graph.microsoft.com/.default', secretMatched: true }], 'one token request: the token is cached');
    const searches = graph.to('/v1.0/users').filter((r) => r.path === '/v1.0/users');
    assert.ok(searches.length >= 3, `${searches.length} searches`);
    assert.ok(searches.every((s) => s.headers.authorization === 'Bearer entra-token-1-for-https://graph.microsoft.com/.default'), 'Graph saw the token from the endpoint');
  });

  it('the token endpoint refuses the secret (401 invalid_client): the people DealDesk knows answer, with a message for the admin, not a stack trace', async () => {
    entra.refuse = true;
    try {
      await start();
      const before = entra.tokenRequests.length;
      const graphBefore = graph.requests.length;
      const known = await run('manager Alex Wilber');
      assert.match(known, /Alex Wilber/);
      assert.match(known, /For an admin: DealDesk could not sign in to Entra ID: it refused the bot's credentials \(invalid_client\)\. Check the bot's client secret \(MicrosoftAppPassword\): it may be wrong or expired\. Only people DealDesk already knows are listed\./);
      const unknown = await run('manager Nestor Wilke');
      assert.match(unknown, /I don't know anyone matching "Nestor Wilke"\. DealDesk could not sign in to Entra ID: it refused the bot's credentials \(invalid_client\)/);
      assert.doesNotMatch(`${known}\n${unknown}`, /AADSTS|Trace ID|\bat \w+ \(|Error:/);
      // Two turns, three Graph calls (a search each, and Alex's manager): one token request each, none tried again.
      assert.ok(entra.tokenRequests.length - before <= 3, `${entra.tokenRequests.length - before} token requests: a refusal is not tried again`);
      assert.equal(graph.requests.length, graphBefore, 'Graph is never called without a token');
      assert.match(running!.output(), /Entra ID refused DealDesk's credentials/);
    } finally {
      entra.refuse = false;
    }
  });
});
