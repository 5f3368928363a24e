import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { personalText } from '../support/activities';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { FakeIngestion } from '../support/fake-ingestion';
import { FakeTeams } from '../support/fake-teams';
import { startMain, stopWith } from '../support/run-main';

/**
 * Without APPLICATIONINSIGHTS_CONNECTION_STRING DealDesk pays nothing for telemetry: `npm start`'s entry point in
 * its own process, a turn answered, SIGTERM, and not one OpenTelemetry or Azure Monitor module was loaded. With it
 * set, the same probe lists the SDK (so the probe sees what it claims to).
 */
describe('telemetry off: no OpenTelemetry module is loaded unless Application Insights is configured', function () {
  this.timeout(90_000);
  const teams = new FakeTeams({ limits: false });
  const ingestion = new FakeIngestion();
  let testStore: TestStore;
  before(async () => {
    await teams.start();
    await ingestion.start();
    testStore = await startTestStore();
  });
  after(async () => {
    await teams.stop();
    await ingestion.stop();
    await testStore?.stop();
  });

  /** The packages a DealDesk process loaded, having answered one turn and stopped. */
  async function loadedPackages(env: NodeJS.ProcessEnv): Promise<string[]> {
    const running = await startMain({
      PORT: '0', HOST: '127.0.0.1', PLAYGROUND: 'off', LOG_LEVEL: 'warn', APPLICATIONINSIGHTS_CONNECTION_STRING: '',
      COSMOS_ENDPOINT: testStore.endpoint, COSMOS_KEY: testStore.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: `off-${randomUUID()}`, ...env,
    }, 60_000, ['--require', './test/support/report-loaded-modules.cjs', '--import', 'tsx', 'src/main.ts']);
    const res = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalText('help', { serviceUrl: teams.url })) });
    assert.equal(res.status, 200);
    assert.equal(await stopWith(running, 'SIGTERM'), 0, running.output());
    const line = /^LOADED-TELEMETRY-PACKAGES (.*)$/m.exec(running.output());
    assert.ok(line, running.output());
    return JSON.parse(line[1]) as string[];
  }

  it('not configured: a turn runs with no OpenTelemetry or Azure Monitor package loaded', async () => {
    assert.deepEqual(await loadedPackages({}), []);
  });

  it('configured: the SDK and the exporter are loaded (the probe sees them)', async () => {
    const loaded = await loadedPackages({ APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString, NODE_EXTRA_CA_CERTS: ingestion.caFile, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' });
    for (const pkg of ['@opentelemetry/api', '@opentelemetry/sdk-trace-base', '@opentelemetry/sdk-logs', '@opentelemetry/sdk-metrics', '@azure/monitor-opentelemetry-exporter']) assert.ok(loaded.includes(pkg), `${pkg} in ${loaded.join(', ')}`);
  });
});
