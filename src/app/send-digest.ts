import type { WeeklyDigest } from '../domain/digest';
import type { Job, JobOutcome } from '../domain/job';
import { type Locale, localeOfPerson } from '../domain/locale';
import { isoWeekOf, nextWeekly } from '../domain/zoned-time';
import { cardMessage } from '../domain/outgoing-message';
import type { AppDeps } from './context';
import { composeDigest } from './compose-digest';

/** The one digest delivery of a person and week: a second run of the same week finds it and sends nothing. */
export const digestMessageId = (personId: string, week: string): string => `digest|${personId}|${week}`;

/** Draws the digest card in a person's language (cards/digest-card.ts, handed in by the scheduler). */
export type DrawDigest = (locale: Locale, digest: WeeklyDigest) => object;

/**
 * The weekly digest job of one person: the digest card for this week (keyed `digest|<person>|<week>`,
 * so nobody gets two for one week), then the next run, next week at the digest hour in their time zone.
 * The card is composed now, in the person's language, and handed to delivery as a CardMessage to them 1:1.
 */
export async function sendDigest(deps: AppDeps, job: Job, now: Date, drawDigest: DrawDigest): Promise<JobOutcome> {
  const person = await deps.store.people.get(job.tenantId, job.personId);
  const zone = person?.timeZone ?? deps.settings.schedule.timeZone;
  const { weekday, hour } = deps.settings.schedule.digest;
  const week = isoWeekOf(now, zone);
  const outcome = { period: week, nextDueAt: nextWeekly(now, zone, weekday, hour).toISOString() };
  if (!person) return outcome;
  const id = digestMessageId(person.id, week);
  if (await deps.store.deliveries.get(job.tenantId, undefined, id)) return outcome;
  const locale = localeOfPerson(person);
  const card = drawDigest(locale, await composeDigest(deps, job.tenantId, person, now));
  await deps.store.deliveries.createIfAbsent(cardMessage(job.tenantId, id, { kind: 'person', key: person.id, name: person.name, locale }, card, now.toISOString()));
  deps.alertQueued?.();
  return outcome;
}
