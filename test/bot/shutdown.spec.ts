import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import type { Store } from '../../src/ports/store.port';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { openCosmosStore } from '../../src/store/cosmos-store';
import { personalText } from '../support/activities';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { FakeTeams } from '../support/fake-teams';
import { startMain, stopWith, type RunningMain } from '../support/run-main';
import { sleep, waitFor } from '../support/wait-for';
import { OWNER, TENANT, seedFanOut } from '../reliability/fan-out-seed';

const LEASE_MS = 60_000;

/**
 * SIGTERM mid fan-out: the process stops within 10 s and hands its claimed deliveries back, so a second
 * process finishes the fan-out at once, not a lease (60 s here) later; each recipient still gets it once.
 */
describe('graceful shutdown (child processes, SIGTERM)', function () {
  this.timeout(90_000);
  const teams = new FakeTeams(); // Teams's rate limits on: 50/s per tenant, so 200 sends take seconds
  let cosmos: EmbeddedCosmos;
  let store: Store;
  let env: NodeJS.ProcessEnv;
  const running: RunningMain[] = [];

  before(async () => {
    await teams.start();
    cosmos = await startEmbeddedCosmos();
    const database = `shutdown-${randomUUID()}`;
    store = await openCosmosStore({ client: createCosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, embedded: true }), databaseId: database });
    env = {
      PORT: '0', PLAYGROUND: 'off', LOG_LEVEL: 'silent',
      COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: database,
      ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '50', DELIVERY_LEASE_MS: String(LEASE_MS), JOB_LEASE_MS: String(LEASE_MS),
    };
  });
  after(async () => {
    for (const r of running.splice(0)) await stopWith(r, 'SIGKILL').catch(() => undefined);
    await store?.close();
    await cosmos?.close();
    await teams.stop();
  });

  const alertCount = (conversationId: string) =>
    teams.messagesTo(conversationId).filter((m) => (m.attachments ?? []).some((a: any) => JSON.stringify(a.content).includes('Changed by'))).length;

  const start = async () => {
    const r = await startMain(env);
    running.push(r);
    return r;
  };

  it('releases its claimed deliveries on SIGTERM: a second instance picks the work up immediately', async () => {
    const conversations = await seedFanOut(store, teams.url, 3001);
    const first = await start();
    assert.match(first.output(), /^Store: a Cosmos DB emulator at https:\/\/127\.0\.0\.1:\d+\/$/m, 'start-up names the store it runs on');
    const activity = personalText('move D-3001 to qualify', { serviceUrl: teams.url, tenantId: TENANT });
    activity.from = { id: '29:owner', name: OWNER.name, aadObjectId: OWNER.id };
    assert.equal((await fetch(`${first.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) })).status, 200);
    await waitFor('the fan-out to be under way', () => conversations.filter((c) => alertCount(c) > 0).length >= 30, 30_000);

    const stopping = Date.now();
    assert.equal(await stopWith(first, 'SIGTERM'), 0, first.output());
    assert.ok(Date.now() - stopping < 10_000, `stopped in ${Date.now() - stopping} ms`);
    assert.match(first.output(), /DealDesk stopped\./);
    const delivered = conversations.filter((c) => alertCount(c) > 0).length;
    assert.ok(delivered < conversations.length, `SIGTERM came mid fan-out (${delivered} delivered)`);
    const left = (await store.deliveries.listForDeal(TENANT, 'D-3001', 500)).filter((d) => d.state !== 'sent');
    assert.ok(left.length > 0);
    assert.deepEqual(left.filter((d) => (d as { lease?: unknown }).lease), [], 'no delivery is still claimed by the stopped instance');

    const handedOver = Date.now();
    await start();
    await waitFor('every recipient to get the alert', () => conversations.every((c) => alertCount(c) > 0), LEASE_MS / 3);
    assert.ok(Date.now() - handedOver < LEASE_MS / 3, 'well before the lease would have expired');
    await sleep(500);
    assert.deepEqual(conversations.map(alertCount).filter((n) => n !== 1), [], 'each recipient exactly once');
  });
});

describe('graceful shutdown (in process): in-flight turns finish, new requests are refused', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  it('a turn in flight when stop begins still gets its reply; after stop nothing is served', async () => {
    h.connector.setLatency(400);
    const turn = h.say('help');
    await sleep(100);
    const stopped = h.app.stop();
    const said = await turn;
    await stopped;
    assert.equal(said.status, 200);
    assert.ok(said.cards.length + said.texts.length > 0, 'the reply was sent before the process let go');
    await assert.rejects(fetch(`${h.app.url}/healthz`), 'no new requests once stopped');
  });
});

describe('graceful shutdown with connections kept alive for 250 s (behind Azure\'s front end)', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  it('an idle kept-alive connection does not hold the stop up: closed at once', async () => {
    const socket = net.connect(Number(new URL(h.app.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const answered = new Promise((resolve) => socket.once('data', resolve));
    socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    await answered;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const started = Date.now();
    await h.app.stop();
    await closed;
    assert.ok(Date.now() - started < 2000, `stopped in ${Date.now() - started} ms`);
  });
});
