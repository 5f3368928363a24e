import type { AppDeps } from '../app/context';
import { fireDueDealTimers } from '../app/fire-deal-timers';
import { claimed, completed, isClaimable, type Job, released } from '../domain/job';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { StoredJob } from '../ports/job-repository.port';
import type { JobHandlers } from './job-handler';
import { expiryRounds } from './expiry-rounds';
import { recordSchedulerLag } from '../metrics/metrics';
import { type Span, tracing } from '../telemetry/tracing';

export interface SchedulerOptions {
  /** This instance, as written in the leases it takes. */
  instanceId: string;
  /** How long a claimed run is this instance's; another instance takes it over after that. */
  leaseMs: number;
  /** When a run fails, how long until it is tried again. */
  retryAfterMs: number;
}

export interface TickResult {
  /** Deals whose timers fired (approval reminders and escalations, CSAT follow-ups). */
  dealTimers: number;
  /** Job runs this instance completed. */
  jobsRun: number;
  /** Job runs that failed (released for a retry). */
  jobsFailed: number;
  /** Local mode: items whose `ttl` ran out, deleted (expiry-rounds.ts); always 0 in Azure mode. */
  expired: number;
}

const JOBS_PER_TICK = 50;

/**
 * One scheduler round: fire the deal timers that fell due, then run the due jobs, then (local mode) delete what
 * expired. Every instance runs
 * rounds; a job's run is claimed with a lease (a conditional write), so exactly one instance runs it, and
 * a run whose instance died is claimed again once its lease expires. Whatever fell due while DealDesk was
 * down is due at the first round after start.
 */
export function createScheduler(deps: AppDeps, handlers: JobHandlers, options: SchedulerOptions) {
  const { store, clock, logger } = deps;
  const expire = expiryRounds(store, clock, logger);

  async function claim({ job, etag }: StoredJob): Promise<StoredJob | undefined> {
    const now = clock.now().toISOString();
    if (!isClaimable(job, now)) return undefined;
    try {
      return await store.jobs.replace(claimed(job, options.instanceId, now, options.leaseMs), etag);
    } catch (e) {
      if (e instanceof ConcurrentUpdateError) return undefined; // another instance claimed it first
      throw e;
    }
  }

  async function runJob(found: StoredJob, span: Span): Promise<'ran' | 'failed' | 'skipped'> {
    const mine = await claim(found);
    if (!mine) {
      span.set({ 'dealdesk.job.outcome': 'claimed by another instance' });
      return 'skipped';
    }
    const { job } = mine;
    const startedAt = clock.now();
    let next: Job;
    let outcome: 'ran' | 'failed';
    let ran: (() => void) | undefined;
    try {
      const result = await handlers[job.kind](deps, job, startedAt);
      next = completed(job, clock.now().toISOString(), result);
      outcome = 'ran';
      // Logged (and measured) once the completion is recorded: a run that outlived its lease is completed,
      // and logged, by the instance that took it over, so each period's run is logged once.
      const lagMs = startedAt.getTime() - Date.parse(job.dueAt ?? startedAt.toISOString());
      span.set({ 'dealdesk.job.outcome': 'ran', 'dealdesk.job.lag_ms': lagMs });
      ran = () => {
        recordSchedulerLag(lagMs);
        logger.info({ jobId: job.id, tenantId: job.tenantId, kind: job.kind, period: result.period, nextDueAt: result.nextDueAt, lagMs }, 'job ran');
      };
    } catch (e) {
      const now = clock.now();
      next = released(job, now.toISOString(), new Date(now.getTime() + options.retryAfterMs).toISOString());
      outcome = 'failed';
      span.set({ 'dealdesk.job.outcome': 'failed' });
      span.fail(e);
      logger.error({ err: e, jobId: job.id, tenantId: job.tenantId, kind: job.kind }, 'job failed; it will be retried');
    }
    try {
      await store.jobs.replace(next, mine.etag);
      ran?.();
    } catch (e) {
      // Our lease expired and another instance claimed the run: it completes the job. What this run
      // sent is keyed by its period, so the repeat sends nothing twice.
      if (!(e instanceof ConcurrentUpdateError)) throw e;
      logger.warn({ jobId: job.id, tenantId: job.tenantId }, 'job run outlived its lease; the instance that took it over completes it');
    }
    return outcome;
  }

  return {
    async tick(): Promise<TickResult> {
      const dealTimers = await fireDueDealTimers(deps);
      let jobsRun = 0;
      let jobsFailed = 0;
      const due = await store.jobs.findClaimable(clock.now().toISOString(), JOBS_PER_TICK);
      for (const found of due) {
        try {
          // Each run is an operation of its own: its store calls, the deliveries it queues and its log lines together.
          const result = await tracing.run(`job ${found.job.kind}`, 'consumer', { 'dealdesk.job.kind': found.job.kind }, (span) => runJob(found, span));
          if (result === 'ran') jobsRun++;
          if (result === 'failed') jobsFailed++;
        } catch (e) {
          logger.error({ err: e, jobId: found.job.id }, 'could not claim or complete a job');
        }
      }
      return { dealTimers, jobsRun, jobsFailed, expired: await expire() };
    },

    /** Gives this instance's claimed runs back (on shutdown), so another instance runs them at once. */
    async releaseLeases(): Promise<number> {
      let count = 0;
      for (const { job, etag } of await store.jobs.listLeasedBy(options.instanceId)) {
        try {
          await store.jobs.replace({ ...job, lease: undefined }, etag);
          count++;
        } catch (e) {
          if (!(e instanceof ConcurrentUpdateError)) throw e;
        }
      }
      return count;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
