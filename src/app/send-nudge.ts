import type { Job } from '../domain/job';
import { localDateOf, nextDaily } from '../domain/zoned-time';
import type { JobOutcome } from '../scheduler/job-handler';
import type { AppDeps } from './context';

/**
 * The daily nudge job of one person: one card listing their stale deals (keyed `nudge|<person>|<date>`),
 * then the next run, tomorrow at the nudge hour in their time zone.
 */
export async function sendNudge(deps: AppDeps, job: Job, now: Date): Promise<JobOutcome> {
  const person = await deps.store.people.get(job.tenantId, job.personId);
  const zone = person?.timeZone ?? deps.settings.schedule.timeZone;
  return { period: localDateOf(now, zone), nextDueAt: nextDaily(now, zone, deps.settings.schedule.nudgeHour).toISOString() };
}
