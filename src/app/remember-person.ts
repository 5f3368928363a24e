import type { PersonRecord } from '../ports/people-repository.port';
import { isTimeZone } from '../domain/zoned-time';
import type { AppDeps } from './context';
import { schedulePersonJobs } from './schedule-person-jobs';

/**
 * Keeps what DealDesk knows of a person current (name, Teams user id, service URL, language), from their
 * own messages and from team rosters. Writes only when something changed, so ordinary turns cost no write.
 */
export function rememberPersonUseCase(deps: AppDeps) {
  const known = new Map<string, string>();
  /**
   * `talking`: the person wrote to DealDesk themselves (not learnt from a roster): they get a weekly digest
   * and a daily nudge, scheduled in their time zone (Teams's `localTimezone`; an unknown zone is ignored).
   */
  return async function rememberPerson(person: Omit<PersonRecord, 'updatedAt' | 'alertsOff' | 'managerId'>, options: { talking?: boolean } = {}): Promise<void> {
    const key = `${person.tenantId}|${person.id}`;
    const timeZone = person.timeZone && isTimeZone(person.timeZone) ? person.timeZone : undefined;
    const fingerprint = JSON.stringify([person.name, person.email, person.userId, person.serviceUrl, person.locale, timeZone, options.talking === true]);
    if (known.get(key) === fingerprint) return;
    const defined = Object.fromEntries(Object.entries({ ...person, timeZone }).filter(([, v]) => v !== undefined)) as typeof person;
    await deps.store.people.upsert({ ...defined, updatedAt: deps.clock.now().toISOString() });
    if (options.talking) await schedulePersonJobs(deps, person.tenantId, person.id, timeZone);
    known.set(key, fingerprint);
  };
}
