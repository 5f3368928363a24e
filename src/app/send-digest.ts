import { digestCard } from '../cards/digest-card';
import type { Job } from '../domain/job';
import { isoWeekOf, nextWeekly } from '../domain/zoned-time';
import { localeOfPerson, translator } from '../i18n/locale';
import { cardDelivery } from '../notify/delivery';
import type { JobOutcome } from '../scheduler/job-handler';
import type { AppDeps } from './context';
import { composeDigest } from './compose-digest';

/** The one digest delivery of a person and week: a second run of the same week finds it and sends nothing. */
export const digestDeliveryId = (personId: string, week: string): string => `digest|${personId}|${week}`;

/**
 * The weekly digest job of one person: the digest card for this week (keyed `digest|<person>|<week>`,
 * so nobody gets two for one week), then the next run, next week at the digest hour in their time zone.
 * The card is composed now, in the person's language, and handed to delivery as a CardDelivery to them 1:1.
 */
export async function sendDigest(deps: AppDeps, job: Job, now: Date): Promise<JobOutcome> {
  const person = await deps.store.people.get(job.tenantId, job.personId);
  const zone = person?.timeZone ?? deps.settings.schedule.timeZone;
  const { weekday, hour } = deps.settings.schedule.digest;
  const week = isoWeekOf(now, zone);
  const outcome = { period: week, nextDueAt: nextWeekly(now, zone, weekday, hour).toISOString() };
  if (!person) return outcome;
  const id = digestDeliveryId(person.id, week);
  if (await deps.store.deliveries.get(job.tenantId, undefined, id)) return outcome;
  const locale = localeOfPerson(person);
  const card = digestCard(translator(locale), locale, await composeDigest(deps, job.tenantId, person, now));
  await deps.store.deliveries.createIfAbsent(cardDelivery(job.tenantId, id, { kind: 'person', key: person.id, name: person.name, locale }, card, now.toISOString()));
  deps.alertQueued?.();
  return outcome;
}
