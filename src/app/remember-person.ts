import type { PersonRecord } from '../ports/people-repository.port';
import { isTimeZone } from '../domain/zoned-time';
import type { AppDeps } from './context';
import { schedulePersonJobs } from './schedule-person-jobs';
import { managerRefresher } from './refresh-manager';

type Remembered = Omit<PersonRecord, 'updatedAt' | 'alertsOff' | 'managerId' | 'managerSource' | 'managerReadAt' | 'teamIds' | 'met' | 'unlisted'>;

/**
 * Keeps what DealDesk knows of a person current (name, Teams user id, service URL, language, time zone),
 * from their own messages and from team rosters. Writes only when something it was given differs from
 * what it last wrote, so ordinary turns cost no write. A field an activity does not carry (an invoke has
 * no `localTimezone`, a roster no locale) is "not given", not a change: alternating messages and button
 * presses do not rewrite the person each time.
 */
export function rememberPersonUseCase(deps: AppDeps) {
  const known = new Map<string, { fields: Record<string, unknown>; talking: boolean }>();
  const refreshManager = managerRefresher(deps);
  /**
   * `talking`: the person wrote to DealDesk themselves or installed it (not learnt from a roster): they have met it
   * (a roster they leave does not make them unknown), and they get a weekly digest and a daily nudge, scheduled in
   * their time zone (Teams's `localTimezone`; an unknown zone is ignored).
   */
  return async function rememberPerson(person: Remembered, options: { talking?: boolean } = {}): Promise<void> {
    const key = `${person.tenantId}|${person.id}`;
    const timeZone = person.timeZone && isTimeZone(person.timeZone) ? person.timeZone : undefined;
    const given = Object.fromEntries(Object.entries({ ...person, timeZone }).filter(([, v]) => v !== undefined)) as Remembered;
    const talking = options.talking === true;
    // Their manager in Entra ID (GRAPH=on), read again when a day old, off the turn (app/refresh-manager.ts), once
    // they are recorded.
    const refresh = () => talking && refreshManager(person.tenantId, person.id);
    const last = known.get(key);
    const unchanged = last && (last.talking || !talking) && Object.entries(given).every(([field, value]) => last.fields[field] === value);
    if (unchanged) return void refresh();
    await deps.store.people.upsert({ ...given, ...(talking ? { met: true } : {}), updatedAt: deps.clock.now().toISOString() });
    if (talking && !last?.talking) {
      await schedulePersonJobs(deps, person.tenantId, person.id, timeZone);
    }
    known.set(key, { fields: { ...last?.fields, ...given }, talking: talking || last?.talking === true });
    refresh();
  };
}
