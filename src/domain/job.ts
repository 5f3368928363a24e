/**
 * Scheduled work that is not part of one deal: a person's weekly digest, their daily stale-deal nudge.
 * (Work a deal change causes, such as a CSAT follow-up or an approval reminder, is a timer inside the
 * deal document itself, written in the same conditional write as the change; see deal-timers.ts.)
 *
 * A job is one document per (kind, person), rescheduled in place when it recurs. Running it is claimed
 * with a lease, so of several instances one runs it, and one whose instance died is run by another once
 * the lease expires. What a run sends is keyed by its period (`digest|<person>|2026-W48`), so even a run
 * repeated after an expired lease sends nothing twice.
 */
export type JobKind = 'digest' | 'nudge';
export const JOB_KINDS: readonly JobKind[] = ['digest', 'nudge'];

export interface JobLease {
  /** The instance that claimed the run. */
  owner: string;
  /** Until when; after it, another instance may claim the run. */
  until: string;
}

export interface Job {
  tenantId: string;
  /** `<kind>|<person id>`: one per kind and person. */
  id: string;
  kind: JobKind;
  /** Whom the job is for (AAD object id). */
  personId: string;
  /** When it should next run (ISO-8601 UTC). Absent once it is done for good. */
  dueAt?: string;
  lease?: JobLease;
  /** Runs completed. */
  runs: number;
  lastRunAt?: string;
  /** The period the last run covered ("2026-W48", "2026-11-27"). */
  lastPeriod?: string;
  createdAt: string;
  updatedAt: string;
}

export const jobIdOf = (kind: JobKind, personId: string): string => `${kind}|${personId}`;

export function newJob(tenantId: string, kind: JobKind, personId: string, dueAt: string, now: string): Job {
  return { tenantId, id: jobIdOf(kind, personId), kind, personId, dueAt, runs: 0, createdAt: now, updatedAt: now };
}

/** Whether an instance may claim the job's run at `now`: due, and not held by a live lease. */
export const isClaimable = (job: Job, now: string): boolean => job.dueAt !== undefined && job.dueAt <= now && (!job.lease || job.lease.until <= now);

export const claimed = (job: Job, owner: string, now: string, leaseMs: number): Job => ({
  ...job,
  lease: { owner, until: new Date(Date.parse(now) + leaseMs).toISOString() },
  updatedAt: now,
});

/** The run finished: record it and move the job to its next time (or none: done). */
export const completed = (job: Job, now: string, outcome: { period?: string; nextDueAt?: string }): Job => ({
  ...job,
  lease: undefined,
  dueAt: outcome.nextDueAt,
  runs: job.runs + 1,
  lastRunAt: now,
  lastPeriod: outcome.period ?? job.lastPeriod,
  updatedAt: now,
});

/** The run failed: give the claim back and try again after `retryAt`. */
export const released = (job: Job, now: string, retryAt: string): Job => ({ ...job, lease: undefined, dueAt: retryAt, updatedAt: now });

/** What a run did: the period it covered, and when the job runs next (none: done for good). */
export interface JobOutcome {
  period?: string;
  nextDueAt?: string;
}
