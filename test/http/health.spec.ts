import assert from 'node:assert/strict';
import sinon from 'sinon';
import { loadConfig } from '../../src/config';
import { forgetHeartbeats, heartbeat, loopsAlive, staleAfterMs } from '../../src/metrics/liveness';
import { metrics, recordCosmosRequest } from '../../src/metrics/metrics';
import { contosoForm } from '../bot/deal-fixtures';
import { startDealDesk } from '../../src/start-dealdesk';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { MemoryLogger } from '../support/memory-logger';
import { sleep, waitFor } from '../support/wait-for';
import { randomUUID } from 'node:crypto';
import { startEmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { openCosmosStore } from '../../src/store/cosmos-store';

const INTERNAL = /cosmos|localhost|127\.0\.0\.1|error|stack|ECONN|Service Unavailable|scheduler|delivery|at /i;

async function probe(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/** /healthz and /readyz: cheap, unauthenticated, and saying nothing but ok / ready / unavailable. */
describe('health endpoints', function () {
  this.timeout(30_000);
  const h = new DealDeskHarness();
  before(() => h.start());
  afterEach(() => sinon.restore());
  after(() => h.stop());

  it('/healthz: the process is up', async () => {
    const res = await probe(`${h.app.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
  });

  it('/readyz: ready with the store up and the loops ticking', async () => {
    await waitFor('ready', async () => (await probe(`${h.app.url}/readyz`)).status === 200, 5000);
    assert.deepEqual(JSON.parse((await probe(`${h.app.url}/readyz`)).body), { status: 'ready' });
  });

  it('/readyz: unavailable while the store fails, with nothing about why; ready again after', async () => {
    sinon.stub(h.store, 'ping').rejects(Object.assign(new Error('Service Unavailable: cosmos-internal.example:443 ECONNRESET'), { code: 503 }));
    const down = await probe(`${h.app.url}/readyz`);
    assert.equal(down.status, 503);
    assert.deepEqual(JSON.parse(down.body), { status: 'unavailable' });
    assert.doesNotMatch(down.body, INTERNAL);
    sinon.restore();
    assert.equal((await probe(`${h.app.url}/readyz`)).status, 200);
  });

  it('/readyz: unavailable when a loop has not ticked lately (the scheduler, polling every 30 s, is silent after a reset)', async () => {
    forgetHeartbeats();
    await new Promise((r) => setTimeout(r, 150)); // the delivery loops (50 ms) beat again; the scheduler does not
    const stale = await probe(`${h.app.url}/readyz`);
    assert.equal(stale.status, 503);
    assert.doesNotMatch(stale.body, INTERNAL);
    h.app.scheduler.wake();
    await waitFor('the scheduler to tick', async () => (await probe(`${h.app.url}/readyz`)).status === 200, 5000);
  });

  it('/healthz stays ok while the store is down (alive, just not ready)', async () => {
    sinon.stub(h.store, 'ping').rejects(new Error('down'));
    assert.equal((await probe(`${h.app.url}/healthz`)).status, 200);
  });
});

describe('/readyz with the store really down (its server gone)', function () {
  this.timeout(30_000);

  it('answers 503 within the ping timeout, and reveals nothing', async () => {
    const cosmos = await startEmbeddedCosmos();
    const store = await openCosmosStore({ client: createCosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, embedded: true }), databaseId: `health-${randomUUID()}` });
    const app = await startDealDesk(loadConfig({ PORT: '0', PLAYGROUND: 'off', NOTIFY_POLL_MS: '50' }), new MemoryLogger(), { store });
    try {
      await waitFor('ready', async () => (await probe(`${app.url}/readyz`)).status === 200, 5000);
      void cosmos.close(); // stops listening and drops its connections (not awaited: a half-open handshake may hold it)
      // A connection the server was still accepting may serve one last ping; then it is down.
      const down = await waitFor('503', async (): Promise<{ status: number; body: string } | undefined> => {
        const started = Date.now();
        const res = await probe(`${app.url}/readyz`);
        assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
        return res.status === 503 ? res : undefined;
      }, 10_000) as { status: number; body: string };
      assert.deepEqual(JSON.parse(down.body), { status: 'unavailable' });
      assert.doesNotMatch(down.body, INTERNAL);
    } finally {
      // The loops' requests to the dead store retry for a while; main.ts bounds shutdown at 10 s.
      await Promise.race([app.stop(), sleep(2000)]);
      store.close().catch(() => undefined);
    }
  });
});

describe('loop liveness', () => {
  it('a loop is alive within three intervals plus 30 s of its last beat, and not after', () => {
    forgetHeartbeats();
    const loops = [{ name: 'test loop', intervalMs: 1000 }];
    assert.equal(loopsAlive(loops), false, 'never ticked');
    heartbeat('test loop');
    const now = Date.now();
    assert.equal(loopsAlive(loops, now + staleAfterMs(1000) - 50), true);
    assert.equal(loopsAlive(loops, now + staleAfterMs(1000) + 50), false);
  });
});

describe('GET /metrics', function () {
  this.timeout(30_000);

  it('serves Prometheus text when METRICS=on, with turn counts and no user text', async () => {
    const h = new DealDeskHarness({ METRICS: 'on' });
    await h.start();
    try {
      const before = metrics.turns.value({ type: 'message', outcome: 'ok' });
      await h.say('help SECRET-IN-METRICS');
      assert.equal(metrics.turns.value({ type: 'message', outcome: 'ok' }), before + 1);
      const res = await fetch(`${h.app.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      assert.match(text, /^# TYPE dealdesk_turns_total counter$/m);
      assert.match(text, /^dealdesk_turns_total\{type="message",outcome="ok"\} \d+$/m);
      assert.match(text, /^dealdesk_turn_duration_ms_bucket\{type="message",le="\+Inf"\} \d+$/m);
      assert.match(text, /^dealdesk_cosmos_requests_total\{status="2xx"\} \d+$/m, 'the store edge counts Cosmos requests');
      assert.doesNotMatch(text, /SECRET-IN-METRICS/);
    } finally {
      await h.stop();
    }
  });

  it('counts alerts sent with their delivery latency, and Cosmos 429s at the store edge', async () => {
    const h = new DealDeskHarness({ METRICS: 'on' });
    await h.start();
    try {
      const sent = metrics.alerts.value({ outcome: 'sent' });
      const latencies = metrics.sendLatencyMs.count();
      await h.say('help', { as: 'megan' });
      await h.press('deal.create', contosoForm);
      await h.say('add megan to D-1001 as architect');
      await h.say('move D-1001 to qualify');
      await waitFor('the alert to be sent', () => metrics.alerts.value({ outcome: 'sent' }) > sent, 5000);
      assert.ok(metrics.sendLatencyMs.count() > latencies);
      const throttled = metrics.cosmosThrottled.value();
      recordCosmosRequest(429);
      assert.equal(metrics.cosmosThrottled.value(), throttled + 1);
      assert.match(await (await fetch(`${h.app.url}/metrics`)).text(), /^dealdesk_alerts_total\{outcome="sent"\} \d+$/m);
    } finally {
      await h.stop();
    }
  });

  it('does not load the Application Insights exporter unless APPLICATIONINSIGHTS_CONNECTION_STRING is set', async () => {
    const h = new DealDeskHarness({ METRICS: 'on' });
    await h.start();
    try {
      assert.equal(Object.keys(require.cache).filter((k) => k.includes('monitor-opentelemetry')).length, 0);
    } finally {
      await h.stop();
    }
  });

  it('is not served when METRICS=off (the default with authentication on)', async () => {
    const h = new DealDeskHarness({ METRICS: 'off' });
    await h.start();
    try {
      assert.equal((await fetch(`${h.app.url}/metrics`)).status, 404);
    } finally {
      await h.stop();
    }
    assert.equal(loadConfig({ MicrosoftAppId: 'a', MicrosoftAppPassword: 'p', MicrosoftAppTenantId: 't', HOST: '0.0.0.0', COSMOS_ENDPOINT: 'https://x.documents.azure.com', COSMOS_KEY: 'k' }).metrics.prometheus, false);
    assert.equal(loadConfig({}).metrics.prometheus, true, 'local mode: on (loopback only)');
  });
});
