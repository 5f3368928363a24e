import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { AzureStandIns } from '../support/azure-stand-ins';
import { BOT_TENANT } from '../support/fake-openid';
import { FakeTeams } from '../support/fake-teams';
import { freePort } from '../support/free-port';
import { createAndShowDeal } from '../support/shipped-turns';
import { buildOnce, freshFolder, startBudgetMs, startDist, startTurnsStop } from '../support/shipped-way';

/**
 * `npm run start:dist` as package.json writes it, on dist/ as `npm run build` leaves it, copied alone into an empty
 * folder (no node_modules in it or above it): local mode (the embedded store) and Azure mode (authentication on,
 * Cosmos DB through the managed identity, Application Insights configured), each ready within the start budget,
 * answering a new user's first turns, and stopping on SIGTERM with exit code 0 within 10 s.
 */
describe('shipped: npm run start:dist on the built dist/', function () {
  this.timeout(120_000);
  let folder: string;

  before(() => buildOnce());
  beforeEach(() => {
    folder = freshFolder('start-dist');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('local mode: ready, a deal created and shown, SIGTERM exits 0', async () => {
    const teams = await new FakeTeams({ limits: false }).start();
    try {
      const run = await startTurnsStop(startDist(folder), {}, await freePort(), startBudgetMs(), async (url) => {
        await createAndShowDeal(url, teams);
      });
      assert.match(run.output, /Store: embedded Cosmos-compatible server, 0 deals loaded from .*\.data/);
    } finally {
      await teams.stop();
    }
  });

  it("Azure mode: ready, a deal created and shown with the channel's tokens, SIGTERM exits 0", async () => {
    const azure = await new AzureStandIns().start();
    try {
      const port = await freePort();
      let id = '';
      await startTurnsStop(startDist(folder), azure.appServiceSettings(port), port, startBudgetMs(), async (url) => {
        id = await createAndShowDeal(url, azure.teams, () => azure.openId.bearer({ serviceurl: azure.teams.url }));
      });
      assert.ok(await azure.cosmos.store.deals.get(BOT_TENANT, id), `${id} is stored in Cosmos DB`);
      assert.ok(azure.identity.resources.includes('https://api.botframework.com'), 'the reply went out with a managed identity token');
    } finally {
      await azure.stop();
    }
  });
});
