import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import type { CosmosClient, Database } from '@azure/cosmos';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { MOVING } from '../../src/store/migration/migrate-layout';
import { AzureStandIns } from '../support/azure-stand-ins';
import { freePort } from '../support/free-port';
import { LEGACY_ITEMS, differencesAfterMove, loadLegacyFixture } from '../support/legacy-layout';
import { appServicePackage, buildOnce, freshFolder, type ShippedWay } from '../support/shipped-way';

/**
 * The operator's migrate command in the deployed artifact: build/dealdesk.zip unpacked into an empty wwwroot (what
 * `az webapp deploy` leaves; no node_modules, no tsx, no source), `node dist/migrate.js` run there with the web app's
 * settings (infra/main.bicep; Cosmos DB through the managed identity), against a Cosmos DB stand-in holding data
 * DealDesk wrote before the partitioned layout (test/fixtures/layout-v1).
 */
describe('shipped: node dist/migrate.js in the deployed package', function () {
  this.timeout(120_000);
  let folder: string;
  let way: ShippedWay;
  let azure: AzureStandIns;
  let server: EmbeddedCosmos;
  let client: CosmosClient;

  before(async () => {
    buildOnce();
    folder = freshFolder('migrate-dist');
    way = appServicePackage(folder);
    azure = await new AzureStandIns().start();
    server = await startEmbeddedCosmos();
    client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true });
  });
  after(async () => {
    client?.dispose();
    await server?.close();
    await azure?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** `node dist/migrate.js …` in wwwroot, with only the web app's settings (and PATH) in its environment. */
  const migrate = async (database: Database, ...args: string[]) =>
    promisify(execFile)(process.execPath, ['dist/migrate.js', ...args], {
      cwd: way.cwd,
      env: { PATH: process.env.PATH, ...azure.appServiceSettings(await freePort()), COSMOS_ENDPOINT: server.endpoint, COSMOS_DATABASE: database.id, LOG_LEVEL: 'warn' },
    });

  it('moves the legacy data and prints the counts (exit 0); --drop-legacy then deletes the legacy containers', async () => {
    const { database } = await client.databases.createIfNotExists({ id: `shipped-${randomUUID()}` });
    await loadLegacyFixture(server, database);
    const first = await migrate(database);
    assert.match(first.stdout, new RegExp(`^Store: Cosmos DB at ${server.endpoint.replace(/[.]/g, '\\.')}, database ${database.id}\\.$`, 'm'), 'the store it works on, first');
    const counts = MOVING.map((id) => `${id} ${LEGACY_ITEMS[id].length}`).join(', ');
    assert.match(first.stdout, new RegExp(`^Moved to the partitioned layout in [\\d.]+ s: ${counts}\\.$`, 'm'));
    assert.deepEqual(await differencesAfterMove(database, MOVING), []);

    const second = await migrate(database, '--drop-legacy');
    assert.match(second.stdout, /^Nothing to move: the data was moved to the partitioned layout before\.$/m);
    assert.match(second.stdout, new RegExp(`^Dropped the legacy containers: ${MOVING.join(', ')}\\.$`, 'm'));
    const { resources } = await database.containers.readAll().fetchAll();
    assert.deepEqual(resources.map((c) => c.id).filter((id) => MOVING.includes(id as never)), []);
    const { resources: deals } = await database.container('deals-v2').items.query("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'deal'").fetchAll();
    assert.ok(deals[0] > 0, 'the deals are in their new container');
  });

  it('an unknown option, or the store unreachable, exits 1 with one line', async () => {
    const { database } = await client.databases.createIfNotExists({ id: `shipped-${randomUUID()}` });
    for (const [args, env, said] of [
      [['--drop'], {}, /unknown option --drop/],
      [[], { COSMOS_ENDPOINT: 'https://127.0.0.1:9/' }, /DealDesk could not move the data: /],
    ] as const) {
      await assert.rejects(
        promisify(execFile)(process.execPath, ['dist/migrate.js', ...args], { cwd: way.cwd, env: { PATH: process.env.PATH, ...azure.appServiceSettings(await freePort()), COSMOS_DATABASE: database.id, LOG_LEVEL: 'silent', ...env } }),
        (e: { code: number; stderr: string }) => {
          assert.equal(e.code, 1);
          const lines = e.stderr.trim().split('\n').filter((l) => !/DEP0111|trace-deprecation/.test(l));
          assert.equal(lines.length, 1, e.stderr);
          assert.match(lines[0], said);
          return true;
        },
      );
    }
  });
});
