import type { Job } from '../domain/job';
import { isoWeekOf, nextWeekly } from '../domain/zoned-time';
import type { JobOutcome } from '../scheduler/job-handler';
import type { AppDeps } from './context';

/**
 * The weekly digest job of one person: the digest card for this week (keyed `digest|<person>|<week>`,
 * so nobody gets two for one week), then the next run, next week at the digest hour in their time zone.
 */
export async function sendDigest(deps: AppDeps, job: Job, now: Date): Promise<JobOutcome> {
  const person = await deps.store.people.get(job.tenantId, job.personId);
  const zone = person?.timeZone ?? deps.settings.schedule.timeZone;
  const { weekday, hour } = deps.settings.schedule.digest;
  return { period: isoWeekOf(now, zone), nextDueAt: nextWeekly(now, zone, weekday, hour).toISOString() };
}
