import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AzureStandIns } from '../support/azure-stand-ins';
import { BOT_TENANT } from '../support/fake-openid';
import { freePort } from '../support/free-port';
import { createAndShowDeal } from '../support/shipped-turns';
import { appServicePackage, buildOnce, freshFolder, startBudgetMs, startTurnsStop } from '../support/shipped-way';

/**
 * App Service as infra/ deploys it: build/dealdesk.zip (what `npm run build` writes and `az webapp deploy` uploads)
 * unpacked into an empty wwwroot, started with the web app's appCommandLine and app settings (infra/main.bicep: a
 * UserAssignedMSI bot, Cosmos DB through the managed identity, Application Insights), each Azure service stood in
 * for on loopback. App Service runs the package as it is (WEBSITE_RUN_FROM_PACKAGE=1): nothing is installed.
 */
describe('shipped: App Service (build/dealdesk.zip, appCommandLine)', function () {
  this.timeout(120_000);
  let folder: string;

  before(() => {
    buildOnce();
    folder = freshFolder('app-service');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('the package is dist/ alone (the bundle, its map and licences, the card templates): no node_modules, no package.json', () => {
    const way = appServicePackage(folder);
    assert.deepEqual(readdirSync(way.cwd), ['dist']);
    assert.deepEqual(readdirSync(join(way.cwd, 'dist')).sort(), ['cards', 'crm-import.js', 'crm-import.js.LEGAL.txt', 'crm-import.js.map', 'main.js', 'main.js.LEGAL.txt', 'main.js.map', 'migrate.js', 'migrate.js.LEGAL.txt', 'migrate.js.map', 'prompts']);
    assert.ok(existsSync(join(way.cwd, 'dist', 'cards', 'deal.json')));
  });

  it("Azure mode with the web app's settings: ready, a deal created and shown with the channel's tokens, SIGTERM exits 0", async () => {
    const azure = await new AzureStandIns().start();
    try {
      const port = await freePort();
      let id = '';
      const site = freshFolder('wwwroot');
      try {
        await startTurnsStop(appServicePackage(site), azure.appServiceSettings(port), port, startBudgetMs(), async (url) => {
          id = await createAndShowDeal(url, azure.teams, () => azure.openId.bearer({ serviceurl: azure.teams.url }));
        });
      } finally {
        rmSync(site, { recursive: true, force: true });
      }
      assert.ok(await azure.cosmos.store.deals.get(BOT_TENANT, id), `${id} is stored in Cosmos DB`);
      // The exporter ran from the bundle: the two turns reached Application Insights (flushed on SIGTERM).
      assert.ok(azure.ingestion.of('Request').length >= 2, `requests received: ${azure.ingestion.of('Request').length}`);
      // Cosmos DB and the Bot Connector were both reached with the web app's managed identity.
      assert.deepEqual(new Set(azure.identity.resources), new Set([azure.cosmos.endpoint.replace(/\/$/, ''), 'https://api.botframework.com']));
    } finally {
      await azure.stop();
    }
  });
});
