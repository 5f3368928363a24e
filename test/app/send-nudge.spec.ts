import assert from 'node:assert/strict';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import { nudgeMessageId } from '../../src/app/send-nudge';
import { newJob } from '../../src/domain/job';
import type { Deal } from '../../src/domain/deal';
import type { Store } from '../../src/ports/store.port';
import { ALEX, aDeal, MEGAN } from '../domain/deal-fixture';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';
import { JOB_HANDLERS } from '../../src/scheduler/job-handlers';
import { renderProactive } from '../../src/cards/render-proactive';

/** The nudge job as the scheduler runs it; the card is what the send worker's renderer draws from what it queued. */
const sendNudge = JOB_HANDLERS.nudge;

const DAY = 86_400_000;
const NOW = new Date('2026-11-27T09:00:05.000Z');

describe('sendNudge: the daily nudge job (embedded Cosmos store)', () => {
  let t: TestStore;
  let store: Store;
  let n = 0;
  let tenantId: string;

  before(async () => {
    t = await startTestStore();
    store = t.store;
  });
  after(async () => t?.stop());
  beforeEach(async () => {
    n += 1;
    tenantId = `tenant-nudge-${n}`;
    await store.people.upsert({ tenantId, id: ALEX.id, name: ALEX.name, locale: 'en-US' });
  });

  const deps = (now = NOW): AppDeps => ({ store, clock: { now: () => now }, logger: new MemoryLogger(), settings: DEFAULT_SETTINGS });
  const job = () => newJob(tenantId, 'nudge', ALEX.id, NOW.toISOString(), NOW.toISOString());
  const put = async (number: number, patch: Partial<Deal>) =>
    (await store.deals.create({ ...aDeal({ title: `Deal ${number}` }, { number }), tenantId, updatedAt: new Date(NOW.getTime() - 2 * DAY).toISOString(), ...patch })).deal;
  const nudgeOf = async (date = '2026-11-27') => (await store.deliveries.get(tenantId, undefined, nudgeMessageId(ALEX.id, date)))?.delivery;
  const stored = async (id: string) => (await store.deals.get(tenantId, id))!.deal;

  it('one card to the owner listing the stale deals only, then lastAt on each listed deal, no alert', async () => {
    const unchanged = await put(1001, { updatedAt: new Date(NOW.getTime() - 15 * DAY).toISOString() });
    const overdue = await put(1002, { closeDate: '2026-11-12' });
    const fresh = await put(1003, {});
    const snoozed = await put(1004, { closeDate: '2026-11-01', nudge: { snoozedUntil: new Date(NOW.getTime() + DAY).toISOString() } });
    const recent = await put(1005, { closeDate: '2026-11-01', nudge: { lastAt: new Date(NOW.getTime() - 3 * DAY).toISOString() } });
    await put(1006, { closeDate: '2026-11-01', owner: MEGAN });

    const outcome = await sendNudge(deps(), job(), NOW);
    assert.deepEqual(outcome, { period: '2026-11-27', nextDueAt: '2026-11-28T09:00:00.000Z' });

    const delivery = await nudgeOf();
    assert.ok(delivery && delivery.payload?.type === 'nudge', 'queued as data: the nudge, not a drawn card');
    assert.deepEqual(delivery.recipient, { kind: 'person', key: ALEX.id, name: ALEX.name, locale: 'en-US' });
    const text = JSON.stringify(renderProactive(delivery.payload, delivery.recipient.locale));
    assert.match(text, /"deals":"D-1002,D-1001"/, 'the listed deals, past close dates first');
    assert.match(text, /Close date passed 12 Nov/);
    assert.match(text, /No change for 15 days/);

    for (const d of [unchanged, overdue]) {
      const after = await stored(d.id);
      assert.equal(after.nudge?.lastAt, NOW.toISOString(), `${d.id} records the nudge`);
      assert.equal(after.rev, d.rev + 1, 'one write');
      assert.equal(after.updatedAt, d.updatedAt, 'a nudge does not freshen the deal');
      assert.deepEqual(after.outbox, [], 'no alert to the team');
      assert.match(text, new RegExp(`"dealId":"${d.id}","rev":${d.rev + 1}`), 'the buttons carry the revision after the lastAt write');
    }
    for (const d of [fresh, snoozed, recent]) assert.equal((await stored(d.id)).rev, d.rev, `${d.id} untouched`);
  });

  it('a run repeated the same day sends nothing twice, even when the lastAt writes were lost', async () => {
    const d = await put(1001, { closeDate: '2026-11-12' });
    await sendNudge(deps(), job(), NOW);
    const first = await nudgeOf();
    // As if the first run died after creating the card, before recording lastAt.
    const { deal, etag } = (await store.deals.get(tenantId, d.id))!;
    await store.deals.replace({ ...deal, nudge: undefined }, etag);
    const later = new Date(NOW.getTime() + 3_600_000);
    await sendNudge(deps(later), job(), later);
    assert.deepEqual(await nudgeOf(), first, 'the same one card');
    assert.equal((await stored(d.id)).nudge?.lastAt, later.toISOString(), 'the repeat records the nudge');
  });

  it('nothing stale: no card, no writes, and the next run is still tomorrow', async () => {
    const d = await put(1001, {});
    const outcome = await sendNudge(deps(), job(), NOW);
    assert.equal(outcome.nextDueAt, '2026-11-28T09:00:00.000Z');
    assert.equal(await nudgeOf(), undefined);
    assert.equal((await stored(d.id)).rev, d.rev);
  });

  it('at most once a week per deal: not the next day, again a week later', async () => {
    await put(1001, { closeDate: '2026-11-12' });
    await sendNudge(deps(), job(), NOW);
    const tomorrow = new Date(NOW.getTime() + DAY - 10_000);
    await sendNudge(deps(tomorrow), job(), tomorrow);
    assert.equal(await nudgeOf('2026-11-28'), undefined);
    const nextWeek = new Date(NOW.getTime() + 7 * DAY - 10_000);
    await sendNudge(deps(nextWeek), job(), nextWeek);
    assert.ok(await nudgeOf('2026-12-04'), 'nudged again a week later');
  });
});
