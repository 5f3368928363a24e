import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { newJob } from '../../src/domain/job';
import { startDealDesk, type DealDesk } from '../../src/start-dealdesk';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

const DAY = 86_400_000;

describe('the dev clock (DEALDESK_CLOCK=manual, local mode only)', () => {
  let t: TestStore;
  before(async () => {
    t = await startTestStore();
  });
  after(async () => t?.stop());

  async function start(env: Record<string, string>): Promise<DealDesk> {
    return startDealDesk(loadConfig({ PORT: '0', PLAYGROUND: 'off', SCHEDULER_POLL_MS: '600000', ...env }), new MemoryLogger(), { store: t.store });
  }
  const post = (app: DealDesk, body: unknown) =>
    fetch(`${app.url}/_dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('moves DealDesk time forward by an ISO-8601 duration and runs what fell due', async () => {
    const app = await start({ DEALDESK_CLOCK: 'manual' });
    try {
      const before = Date.now();
      const due = new Date(before + DAY + 60_000).toISOString();
      await t.store.jobs.createIfAbsent(newJob('tenant-dev-clock', 'nudge', 'person-1', due, new Date(before).toISOString()));
      const res = await post(app, { advance: 'P1DT2M' });
      assert.equal(res.status, 200);
      const { now } = (await res.json()) as { now: string };
      assert.ok(Date.parse(now) - before >= DAY + 2 * 60_000, 'time moved a day and two minutes');
      const job = (await t.store.jobs.get('tenant-dev-clock', 'nudge|person-1'))!.job;
      assert.equal(job.runs, 1, 'the job that fell due ran before the answer');
      assert.ok(job.dueAt! > due, 'and was rescheduled');
    } finally {
      await app.stop();
    }
  });

  it('refuses what is not a forward ISO-8601 duration, and moves nothing', async () => {
    const app = await start({ DEALDESK_CLOCK: 'manual' });
    try {
      for (const body of [{ advance: '1 day' }, { advance: 'P1Y' }, { advance: -5 }, {}, { advance: 'P500D' }]) {
        const res = await post(app, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(((await res.json()) as { error: string }).error, /ISO-8601 duration/);
      }
      const { now } = (await (await fetch(`${app.url}/_dev/clock`)).json()) as { now: string };
      assert.ok(Math.abs(Date.parse(now) - Date.now()) < 5_000, 'still real time');
    } finally {
      await app.stop();
    }
  });

  it('does not exist with the system clock', async () => {
    const app = await start({});
    try {
      assert.equal((await post(app, { advance: 'P1D' })).status, 404);
    } finally {
      await app.stop();
    }
  });

  it('cannot be turned on with authentication (Azure)', () => {
    assert.throws(
      () => loadConfig({ DEALDESK_CLOCK: 'manual', MicrosoftAppId: '11111111-1111-1111-1111-111111111111', MicrosoftAppPassword: 'x', MicrosoftAppTenantId: 't', COSMOS_ENDPOINT: 'https://x.documents.azure.com', COSMOS_KEY: 'k' }),
      (e: unknown) => e instanceof ConfigError && /DEALDESK_CLOCK/.test(e.message),
    );
  });
});
