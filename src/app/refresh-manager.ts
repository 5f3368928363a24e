import type { AppDeps } from './context';
import { syncManagerFromDirectory } from './sync-manager';

/** A manager read from Entra ID is read again once it is older than this, on the person's next turn. */
export const MANAGER_MAX_AGE_MS = 24 * 3_600_000;

/**
 * Keeps people's managers from Entra ID fresh, bounded: on a person's turn, their manager is read again when the one
 * recorded was read longer than `maxAgeMs` ago (`managerReadAt`, DealDesk's clock), off the turn (the reply never
 * waits), and this process asks Entra ID at most once per person per period, whatever the answer, a failure included.
 * A restart does not ask again sooner either: the time of the read is stored with the manager, in the same write.
 * A manager set by an admin (`set manager`) is never read. Returns the function to call on each turn.
 */
export function managerRefresher(deps: AppDeps, maxAgeMs = MANAGER_MAX_AGE_MS): (tenantId: string, personId: string) => void {
  /** When this process may next look at a person's manager (ms on DealDesk's clock). */
  const nextLook = new Map<string, number>();
  const refresh = async (tenantId: string, personId: string, key: string, now: number): Promise<void> => {
    const person = await deps.store.people.get(tenantId, personId);
    if (!person || person.managerSource === 'admin') return;
    const readAt = person.managerReadAt ? Date.parse(person.managerReadAt) : NaN;
    if (now - readAt < maxAgeMs) {
      nextLook.set(key, readAt + maxAgeMs);
      return;
    }
    await syncManagerFromDirectory(deps, tenantId, personId);
  };
  return (tenantId, personId) => {
    if (!deps.directory?.serves(tenantId)) return;
    const key = `${tenantId}|${personId}`;
    const now = deps.clock.now().getTime();
    if ((nextLook.get(key) ?? -Infinity) > now) return;
    nextLook.set(key, now + maxAgeMs);
    refresh(tenantId, personId, key, now).catch((e: unknown) => deps.logger.warn({ err: e }, "could not refresh a person's manager from Entra ID"));
  };
}
