import type { PersonRecord } from '../ports/people-repository.port';
import type { Actor, AppDeps } from './context';
import { syncManagerFromDirectory } from './sync-manager';

/**
 * Someone found in the directory and chosen becomes someone DealDesk knows: one write of their name and e-mail, plus
 * the service URL of the person who named them (the same tenant's Teams endpoint), so that a 1:1 chat can be opened
 * with them later. Their manager is read from the directory afterwards, off the turn.
 */
export async function recordDirectoryPerson(deps: AppDeps, actor: Actor, found: PersonRecord): Promise<PersonRecord> {
  const serviceUrl = (await deps.store.people.get(actor.tenantId, actor.user.id))?.serviceUrl;
  const person: PersonRecord = { ...found, ...(serviceUrl ? { serviceUrl } : {}), updatedAt: deps.clock.now().toISOString() };
  await deps.store.people.upsert(person);
  syncManagerInBackground(deps, actor.tenantId, person.id);
  return person;
}

/** Reads a person's manager from the directory without holding the turn; a failure is only logged. */
export function syncManagerInBackground(deps: AppDeps, tenantId: string, personId: string): void {
  if (!deps.directory?.serves(tenantId)) return;
  syncManagerFromDirectory(deps, tenantId, personId).catch((e: unknown) => deps.logger.warn({ err: e }, "could not record a person's manager from Entra ID"));
}
