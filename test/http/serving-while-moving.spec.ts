import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CosmosClient, Database } from '@azure/cosmos';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { createCosmosClient, ensureDatabase } from '../../src/store/cosmos-client';
import { migrateLayout } from '../../src/store/migration/migrate-layout';
import { USERS, personalText } from '../support/activities';
import { FakeTeams } from '../support/fake-teams';
import { FaultProxy } from '../support/fault-proxy';
import { LEGACY_ITEMS, crashAfterWrites, loadLegacyFixture } from '../support/legacy-layout';
import { MemoryLogger } from '../support/memory-logger';
import { LISTENING_WHILE_MOVING, SERVING, startMain, stopWith, type RunningMain } from '../support/run-main';
import { sleep, waitFor } from '../support/wait-for';

/**
 * Issue 16, item 4, at the size of a large installation: moving millions of documents takes many minutes, and App
 * Service restarts a container that does not answer HTTP within 230 s. So `npm start` (src/main.ts, in its own process,
 * against a Cosmos DB stand-in holding data of the layout before partitioned keys) listens first: alive, not ready
 * (with the move's progress), turns refused with Retry-After and never run, until the data has moved; then it serves.
 */
describe('DealDesk answers HTTP while its data moves to the partitioned layout (npm start, Cosmos DB)', function () {
  this.timeout(90_000);
  const teams = new FakeTeams({ limits: false, members: Object.values(USERS).map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId })) });
  let server: EmbeddedCosmos;
  let client: CosmosClient;
  let proxy: FaultProxy;
  let main: RunningMain | undefined;

  before(async () => {
    await teams.start();
    server = await startEmbeddedCosmos();
    client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true });
    proxy = await new FaultProxy({ target: server.endpoint }).start();
  });
  afterEach(async () => {
    proxy.release();
    if (main) await stopWith(main, 'SIGTERM');
    main = undefined;
  });
  after(async () => {
    await proxy.stop();
    client.dispose();
    await server.close();
    await teams.stop();
  });

  /** A database as DealDesk before the partitioned layout left it (test/fixtures/layout-v1). */
  async function legacyDatabase(): Promise<Database> {
    const { database } = await client.databases.createIfNotExists({ id: `moving-${randomUUID()}` });
    await loadLegacyFixture(server, database);
    await ensureDatabase(client, database.id); // today's containers next to them, as a start of this version creates them
    return database;
  }
  const start = (database: Database) =>
    startMain({ PORT: '0', PLAYGROUND: 'off', LOG_LEVEL: 'info', COSMOS_ENDPOINT: proxy.endpoint, COSMOS_KEY: server.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: database.id }, 60_000, undefined, LISTENING_WHILE_MOVING);
  const get = async (path: string) => {
    const res = await fetch(`${main!.url}${path}`);
    return { status: res.status, body: await res.json() as any };
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${main!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.body?.cancel();
    return res;
  };
  /** A document create in `container` (a POST to its docs that is no query). */
  const isCreateIn = (container: string) => (req: IncomingMessage) =>
    req.method === 'POST' && req.url?.endsWith(`/colls/${container}/docs`) === true &&
    String(req.headers['x-ms-documentdb-isquery'] ?? '').toLowerCase() !== 'true' && req.headers['content-type'] !== 'application/query+json';
  const replyTo = (activity: { id: string }) => teams.sent.find((s) => s.body.replyToId === activity.id);

  /** What a user and the probes see while the data moves: alive, not ready, a turn asked to come back and never run. */
  async function refusedWhileMoving(mover: string): Promise<void> {
    assert.deepEqual(await get('/healthz'), { status: 200, body: { status: 'ok' } });
    const readyz = await get('/readyz');
    assert.equal(readyz.status, 503);
    assert.equal(readyz.body.status, 'moving data');
    assert.equal(readyz.body.mover, mover);
    const help = personalText('help', { as: 'alex', serviceUrl: teams.url });
    const turn = await post('/api/messages', help);
    assert.equal(turn.status, 503);
    assert.equal(turn.headers.get('retry-after'), '10');
    assert.equal((await post('/api/webhooks/deals', { eventId: 'e-1' })).status, 503, 'the CRM webhook waits too');
    await sleep(300);
    assert.equal(replyTo(help), undefined, 'the bot never ran the refused turn');
  }

  /** Then ready, and the same user's turn answered. */
  async function servesAfter(): Promise<void> {
    await waitFor('/readyz 200', async () => (await get('/readyz')).status === 200, 20_000, 100);
    assert.match(main!.output(), SERVING);
    const help = personalText('help', { as: 'alex', serviceUrl: teams.url });
    assert.equal((await post('/api/messages', help)).status, 200);
    assert.ok(replyTo(help), 'answered');
  }

  it('the instance that moves: /healthz 200, /readyz 503 with the counts per container, a turn 503; then ready and answered', async () => {
    const database = await legacyDatabase();
    // The store is slow for the deliveries' copies: the move stays on that container until released (under the
    // client's 10 s request timeout).
    proxy.hold(isCreateIn('deliveries-v2'));
    main = await start(database);
    await waitFor('the copies of the deliveries to be held', () => proxy.held > 0, 10_000, 50);
    await refusedWhileMoving('this instance');
    const { containers } = (await get('/readyz')).body;
    assert.deepEqual(containers.deals, { state: 'done', copied: LEGACY_ITEMS.deals.length, skipped: 0 });
    assert.deepEqual(containers.follows, { state: 'done', copied: LEGACY_ITEMS.follows.length, skipped: 0 });
    assert.deepEqual(containers.deliveries, { state: 'pending', copied: 0, skipped: 0 });
    assert.ok(proxy.release() > 0, 'the copies were held');
    await servesAfter();
    assert.match(main.output(), /"msg":"layout migration: done"/);
  });

  it('SIGTERM while the data moves (a page stuck in the store): exits 0 at once, not after the stuck requests', async () => {
    const database = await legacyDatabase();
    proxy.hold(isCreateIn('deliveries-v2'));
    const running = (main = await start(database));
    await waitFor('the copies of the deliveries to be held', () => proxy.held > 0, 10_000, 50);
    const started = Date.now();
    assert.equal(await stopWith(running, 'SIGTERM'), 0, running.output());
    // Not held up by the page stuck in the store (the client would give up on it after 10 s, when the platform kills).
    assert.ok(Date.now() - started < 5_000, `stopped after ${Date.now() - started} ms`);
    assert.match(running.output(), /DealDesk stopped\./);
    assert.doesNotMatch(running.output(), /cannot start/);
  });

  it('an instance that waits while another holds the lease: the same answers, with the holder\'s progress; it serves once that one is done', async () => {
    const database = await legacyDatabase();
    // Another instance took the lease for a minute and stopped after 20 writes (its progress is in the marker).
    const elsewhere = { instanceId: 'instance-elsewhere', clock: { now: () => new Date() }, logger: new MemoryLogger(), leaseMs: 60_000 };
    await assert.rejects(migrateLayout(crashAfterWrites(database, 20).database, elsewhere), /crashed after write 20/);
    main = await start(database);
    await refusedWhileMoving('another instance');
    assert.equal((await get('/readyz')).body.containers.deals.state, 'done', 'the holder\'s last checkpoint');
    assert.equal((await migrateLayout(database, elsewhere)).outcome, 'moved', 'the holder goes on and finishes');
    await servesAfter();
    assert.match(main.output(), /another instance finished moving the data/);
  });
});
