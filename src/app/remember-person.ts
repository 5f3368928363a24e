import type { PersonRecord } from '../ports/people-repository.port';
import type { AppDeps } from './context';

/**
 * Keeps what DealDesk knows of a person current (name, Teams user id, service URL, language), from their
 * own messages and from team rosters. Writes only when something changed, so ordinary turns cost no write.
 */
export function rememberPersonUseCase(deps: AppDeps) {
  const known = new Map<string, string>();
  return async function rememberPerson(person: Omit<PersonRecord, 'updatedAt' | 'alertsOff' | 'managerId'>): Promise<void> {
    const key = `${person.tenantId}|${person.id}`;
    const fingerprint = JSON.stringify([person.name, person.email, person.userId, person.serviceUrl, person.locale]);
    if (known.get(key) === fingerprint) return;
    const defined = Object.fromEntries(Object.entries(person).filter(([, v]) => v !== undefined)) as typeof person;
    await deps.store.people.upsert({ ...defined, updatedAt: deps.clock.now().toISOString() });
    known.set(key, fingerprint);
  };
}
