import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AzureStandIns } from '../support/azure-stand-ins';
import { BOT_TENANT } from '../support/fake-openid';
import { FakeTeams } from '../support/fake-teams';
import { freePort } from '../support/free-port';
import { createAndShowDeal } from '../support/shipped-turns';
import { containerImage, freshFolder, startBudgetMs, startTurnsStop } from '../support/shipped-way';

/**
 * The container as the Dockerfile builds and runs it. There is no Docker engine here, so the image is emulated
 * (test/support/dockerfile.ts): the build stage's COPY steps from the build context (.dockerignore honoured), its
 * `npm ci` (this checkout's node_modules stand in) and `npm run build`; the final stage's COPY steps into an empty
 * folder standing for the image, its ENV, WORKDIR and CMD. `docker run` is the CMD in that folder with the image's ENV
 * and the mode's settings. Not emulated: the `node` user (these tests run as one user), the image's own Node.js (the
 * test's node runs the CMD; CI runs this on Node 20 and 22), and the network (local mode's loopback is the host's,
 * as with `docker run --network host`).
 */
describe('shipped: the container (Dockerfile)', function () {
  this.timeout(180_000);
  let folder: string;
  let image: ReturnType<typeof containerImage>;

  before(() => {
    folder = freshFolder('image');
    image = containerImage(folder);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('the image holds dist/ (the bundle, its map and licences, the card templates) and an empty data directory, no node_modules', () => {
    assert.deepEqual(readdirSync(image.cwd).sort(), ['.data', 'dist']);
    assert.deepEqual(readdirSync(join(image.cwd, 'dist')).sort(), ['cards', 'crm-import.js', 'crm-import.js.LEGAL.txt', 'crm-import.js.map', 'main.js', 'main.js.LEGAL.txt', 'main.js.map', 'migrate.js', 'migrate.js.LEGAL.txt', 'migrate.js.map', 'prompts']);
    assert.equal(existsSync(join(image.cwd, 'node_modules')), false);
    assert.equal(image.user, 'node');
  });

  it('docker run with no Azure settings: local mode on the embedded store, on loopback, ready, a deal created and shown, SIGTERM exits 0', async () => {
    const teams = await new FakeTeams({ limits: false }).start();
    try {
      const run = await startTurnsStop(image, {}, await freePort(), startBudgetMs(), async (url) => {
        await createAndShowDeal(url, teams);
      });
      assert.match(run.output, /listening on http:\/\/127\.0\.0\.1:\d+\/api\/messages \(authentication off, loopback only\)/);
      assert.match(run.output, /Store: embedded Cosmos-compatible server, 0 deals loaded from \.data\//);
      assert.doesNotMatch(run.output, /Agents Playground/);
      // The deal is kept in the one folder the image lets the app write (mount a volume there to keep it).
      assert.ok(readdirSync(join(image.cwd, '.data')).some((f) => /^(cosmos\.json|journal-.*\.jsonl)$/.test(f)), readdirSync(join(image.cwd, '.data')).join(', '));
    } finally {
      await teams.stop();
      rmSync(join(image.cwd, '.data'), { recursive: true, force: true });
    }
  });

  it("docker run with the web app's settings: Azure mode on all interfaces, ready, a deal created and shown with the channel's tokens, SIGTERM exits 0", async () => {
    const azure = await new AzureStandIns().start();
    try {
      const port = await freePort();
      let id = '';
      const run = await startTurnsStop(image, azure.appServiceSettings(port), port, startBudgetMs(), async (url) => {
        id = await createAndShowDeal(url, azure.teams, () => azure.openId.bearer({ serviceurl: azure.teams.url }));
      });
      assert.match(run.output, /listening on http:\/\/0\.0\.0\.0:\d+\/api\/messages \(authentication on\)/);
      assert.ok(await azure.cosmos.store.deals.get(BOT_TENANT, id), `${id} is stored in Cosmos DB`);
    } finally {
      await azure.stop();
    }
  });
});
