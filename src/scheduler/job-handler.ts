import type { AppDeps } from '../app/context';
import type { Job, JobKind, JobOutcome } from '../domain/job';

export type { JobOutcome };

/**
 * Runs one job at `now`. Must be safe to repeat for the same period: whatever it sends or writes is keyed
 * by the period (a delivery id `digest|<person>|2026-W48`), because a run whose instance died after
 * sending, or whose lease expired mid-run, is run again by another instance.
 */
export type JobHandler = (deps: AppDeps, job: Job, now: Date) => Promise<JobOutcome>;

export type JobHandlers = Record<JobKind, JobHandler>;
