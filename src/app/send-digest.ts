import { digestToSend } from '../domain/digest';
import type { Job, JobOutcome } from '../domain/job';
import { localeOfPerson } from '../domain/locale';
import { isoWeekOf, nextWeekly } from '../domain/zoned-time';
import { cardMessage } from '../domain/outgoing-message';
import type { AppDeps } from './context';
import { composeDigest } from './compose-digest';

/** The one digest delivery of a person and week: a second run of the same week finds it and sends nothing. */
export const digestMessageId = (personId: string, week: string): string => `digest|${personId}|${week}`;

/**
 * The weekly digest job of one person: the digest card for this week (keyed `digest|<person>|<week>`,
 * so nobody gets two for one week), then the next run, next week at the digest hour in their time zone.
 * The digest is composed now and queued as data (a 'digest' ProactiveCard) to them 1:1; the send worker draws its
 * card, in their language, when it sends it.
 */
export async function sendDigest(deps: AppDeps, job: Job, now: Date): Promise<JobOutcome> {
  const person = await deps.store.people.get(job.tenantId, job.personId);
  const zone = person?.timeZone ?? deps.settings.schedule.timeZone;
  const { weekday, hour } = deps.settings.schedule.digest;
  const week = isoWeekOf(now, zone);
  const outcome = { period: week, nextDueAt: nextWeekly(now, zone, weekday, hour).toISOString() };
  if (!person) return outcome;
  const id = digestMessageId(person.id, week);
  if (await deps.store.deliveries.get(job.tenantId, undefined, id)) return outcome;
  const digest = digestToSend(await composeDigest(deps, job.tenantId, person, now));
  const recipient = { kind: 'person' as const, key: person.id, name: person.name, locale: localeOfPerson(person) };
  await deps.store.deliveries.createIfAbsent(cardMessage(job.tenantId, id, recipient, { type: 'digest', digest }, now.toISOString()));
  deps.alertQueued?.();
  return outcome;
}
