import assert from 'node:assert/strict';
import { type AppDeps, DEFAULT_SETTINGS } from '../../src/app/context';
import { type Job, type JobKind, newJob } from '../../src/domain/job';
import type { Store } from '../../src/ports/store.port';
import type { JobHandler, JobHandlers } from '../../src/scheduler/job-handler';
import { createScheduler } from '../../src/scheduler/scheduler';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

const T0 = Date.parse('2026-11-30T08:00:00Z');
const MINUTE = 60_000;
const WEEK = 7 * 86_400_000;
const LEASE_MS = 2 * MINUTE;

/** A clock the test moves. */
class TestClock {
  constructor(public ms = T0) {}
  now = () => new Date(this.ms);
}

describe('scheduler: leased jobs on the embedded store', () => {
  let t: TestStore;
  let store: Store;
  let n = 0;
  let tenantId: string;
  let clock: TestClock;

  before(async () => {
    t = await startTestStore();
    store = t.store;
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantId = `tenant-scheduler-${n}`;
    clock = new TestClock();
  });

  const deps = (): AppDeps => ({ store, clock, logger: new MemoryLogger(), settings: DEFAULT_SETTINGS });

  /** Handlers that record every run and reschedule a week later; `digest` can be replaced per test. */
  function recording(digest?: JobHandler) {
    const runs: Array<{ tenantId: string; id: string; at: string }> = [];
    const weekly: JobHandler = async (_d, job, now) => {
      runs.push({ tenantId: job.tenantId, id: job.id, at: now.toISOString() });
      return { period: now.toISOString().slice(0, 10), nextDueAt: new Date(now.getTime() + WEEK).toISOString() };
    };
    const handlers: JobHandlers = { digest: digest ?? weekly, nudge: weekly };
    return { runs, handlers };
  }

  const scheduler = (handlers: JobHandlers, instanceId: string) => createScheduler(deps(), handlers, { instanceId, leaseMs: LEASE_MS, retryAfterMs: 5 * MINUTE });
  const given = async (kind: JobKind, personId: string, dueAt: number): Promise<void> => {
    assert.equal(await store.jobs.createIfAbsent(newJob(tenantId, kind, personId, new Date(dueAt).toISOString(), new Date(T0 - WEEK).toISOString())), true);
  };
  const job = async (kind: JobKind, personId: string): Promise<Job> => (await store.jobs.get(tenantId, `${kind}|${personId}`))!.job;
  /** Runs of this test's jobs: the store (and the sweep, which spans tenants) is shared by the file's tests. */
  const mine = (runs: Array<{ tenantId: string }>) => runs.filter((r) => r.tenantId === tenantId).length;

  it('runs a due job exactly once when two instances tick at the same moment, and reschedules it', async () => {
    await given('digest', 'megan', T0 - MINUTE);
    const { runs, handlers } = recording();
    const [a, b] = await Promise.all([scheduler(handlers, 'instance-a').tick(), scheduler(handlers, 'instance-b').tick()]);
    assert.equal(mine(runs), 1, 'one run between the two instances');
    const after = await job('digest', 'megan');
    assert.equal(after.runs, 1);
    assert.equal(after.lease, undefined, 'the lease is given back');
    assert.equal(after.dueAt, new Date(T0 + WEEK).toISOString(), 'the next run is the one the handler named');
  });

  it('creating a job twice keeps the first (ids are per kind and person)', async () => {
    await given('nudge', 'alex', T0 + MINUTE);
    assert.equal(await store.jobs.createIfAbsent(newJob(tenantId, 'nudge', 'alex', new Date(T0 + WEEK).toISOString(), new Date(T0).toISOString())), false);
    assert.equal((await job('nudge', 'alex')).dueAt, new Date(T0 + MINUTE).toISOString());
  });

  it('does not run a job before it is due', async () => {
    await given('digest', 'adele', T0 + MINUTE);
    const { runs, handlers } = recording();
    await scheduler(handlers, 'instance-a').tick();
    assert.equal(mine(runs), 0);
    clock.ms += MINUTE;
    await scheduler(handlers, 'instance-a').tick();
    assert.equal(mine(runs), 1);
  });

  it('a run whose instance died is run by another instance once its lease expires, not before', async () => {
    await given('digest', 'isaiah', T0 - MINUTE);
    // Instance A claims the run and never finishes it (the process was killed mid-run).
    const hung = recording(() => new Promise(() => undefined));
    void scheduler(hung.handlers, 'instance-a').tick();
    await waitUntil(async () => (await job('digest', 'isaiah')).lease?.owner === 'instance-a');

    const { runs, handlers } = recording();
    const b = scheduler(handlers, 'instance-b');
    await b.tick();
    assert.equal(mine(runs), 0, 'the lease still holds');
    clock.ms += LEASE_MS;
    await b.tick();
    assert.equal(mine(runs), 1, 'taken over after the lease');
    const after = await job('digest', 'isaiah');
    assert.equal(after.runs, 1);
    assert.equal(after.lease, undefined);
  });

  it('a run that outlived its lease is logged as run once, by the instance that completed it', async () => {
    await given('digest', 'overrun', T0 - MINUTE);
    let finishA: () => void = () => undefined;
    const weekly = recording().handlers.digest;
    // Instance A's run is slow (a busy machine): its lease expires, B takes the run over and completes it.
    const slow: JobHandler = async (d, j, now) => {
      if (j.tenantId === tenantId) await new Promise<void>((resolve) => (finishA = resolve));
      return weekly(d, j, now);
    };
    const aDeps = deps();
    const bDeps = deps();
    const options = { leaseMs: LEASE_MS, retryAfterMs: 5 * MINUTE };
    const aTick = createScheduler(aDeps, { digest: slow, nudge: weekly }, { ...options, instanceId: 'instance-a' }).tick();
    await waitUntil(async () => (await job('digest', 'overrun')).lease?.owner === 'instance-a');
    clock.ms += LEASE_MS;
    await createScheduler(bDeps, recording().handlers, { ...options, instanceId: 'instance-b' }).tick();
    finishA();
    await aTick;
    const ran = (logger: unknown) => (logger as MemoryLogger).lines.filter((l) => l.msg === 'job ran' && (l.obj as { jobId?: string }).jobId === 'digest|overrun').length;
    assert.equal(ran(bDeps.logger), 1, 'B completed the run');
    assert.equal(ran(aDeps.logger), 0, 'A, whose completion was refused, does not say it ran');
    assert.ok((aDeps.logger as MemoryLogger).lines.some((l) => /outlived its lease/.test(l.msg ?? '')));
    assert.equal((await job('digest', 'overrun')).runs, 1);
  });

  it('runs a job that fell due while DealDesk was down once at the next start, not once per missed week', async () => {
    await given('digest', 'patti', T0 - 3 * WEEK);
    const { runs, handlers } = recording();
    const s = scheduler(handlers, 'instance-new');
    await s.tick();
    await s.tick();
    assert.equal(mine(runs), 1);
    assert.ok((await job('digest', 'patti')).dueAt! > new Date(T0).toISOString(), 'the next run is in the future');
  });

  it('a recurring job runs again at its next time', async () => {
    await given('nudge', 'lynne', T0);
    const { runs, handlers } = recording();
    const s = scheduler(handlers, 'instance-a');
    await s.tick();
    clock.ms += WEEK - MINUTE;
    await s.tick();
    assert.equal(mine(runs), 1, 'not yet');
    clock.ms += MINUTE;
    await s.tick();
    assert.equal(mine(runs), 2);
    assert.equal((await job('nudge', 'lynne')).runs, 2);
  });

  it('a failing run is given back and retried later, never lost', async () => {
    await given('digest', 'megan2', T0);
    let fail = true;
    const { runs, handlers } = recording(async (d, j, now) => {
      if (fail) throw new Error('store hiccup');
      return recording().handlers.nudge(d, j, now);
    });
    const s = scheduler(handlers, 'instance-a');
    const first = await s.tick();
    assert.equal(first.jobsFailed, 1);
    const failed = await job('digest', 'megan2');
    assert.equal(failed.lease, undefined);
    assert.equal(failed.runs, 0);
    assert.equal(failed.dueAt, new Date(T0 + 5 * MINUTE).toISOString());
    fail = false;
    clock.ms += 5 * MINUTE;
    assert.equal((await s.tick()).jobsRun, 1);
    assert.equal(mine(runs), 0, 'the recording handler was not the one that ran');
    assert.equal((await job('digest', 'megan2')).runs, 1);
  });

  it('gives claimed runs back on shutdown, so another instance runs them at once', async () => {
    await given('digest', 'shutdown', T0 - MINUTE);
    const hung = recording(() => new Promise(() => undefined));
    const a = scheduler(hung.handlers, 'instance-a');
    void a.tick();
    await waitUntil(async () => (await job('digest', 'shutdown')).lease?.owner === 'instance-a');
    assert.equal(await a.releaseLeases(), 1);
    const { runs, handlers } = recording();
    await scheduler(handlers, 'instance-b').tick();
    assert.equal(mine(runs), 1, 'without waiting for the lease');
  });
});

async function waitUntil(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
