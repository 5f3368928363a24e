import { newJob } from '../domain/job';
import { nextDaily, nextWeekly } from '../domain/zoned-time';
import type { AppDeps } from './context';

/** When a person's digest and nudge first run, in their time zone (or the configured default). */
export function firstRuns(deps: AppDeps, timeZone: string | undefined, now: Date) {
  const zone = timeZone ?? deps.settings.schedule.timeZone;
  const { digest, nudgeHour } = deps.settings.schedule;
  return {
    digest: nextWeekly(now, zone, digest.weekday, digest.hour).toISOString(),
    nudge: nextDaily(now, zone, nudgeHour).toISOString(),
  };
}

/**
 * Makes sure a person has their weekly digest and daily nudge scheduled. Idempotent (the job ids are
 * per kind and person), so it is safe on every first turn of a person in a process.
 */
export async function schedulePersonJobs(deps: AppDeps, tenantId: string, personId: string, timeZone?: string): Promise<void> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const runs = firstRuns(deps, timeZone, now);
  await deps.store.jobs.createIfAbsent(newJob(tenantId, 'digest', personId, runs.digest, at));
  await deps.store.jobs.createIfAbsent(newJob(tenantId, 'nudge', personId, runs.nudge, at));
}
