import type { AppDeps } from './context';
import { directoryRecord, lookInDirectory } from './look-in-directory';

/**
 * A person's manager as Entra ID says, recorded on the person (`managerSource: 'entra'`) so that quota, digests,
 * approvals and deal visibility, which read `managerId`, use it. A manager an admin set in DealDesk (`set manager`,
 * `managerSource: 'admin'`) is never replaced. The manager becomes someone DealDesk knows too (their name is shown).
 * One write of the person, the manager with the time it was read (`managerReadAt`, so that the next read waits a
 * day: app/refresh-manager.ts). Returns what is recorded now.
 */
export async function syncManagerFromDirectory(deps: AppDeps, tenantId: string, personId: string): Promise<string | undefined> {
  const person = await deps.store.people.get(tenantId, personId);
  if (!person || person.managerSource === 'admin') return person?.managerId;
  const looked = await lookInDirectory(deps, tenantId, "a person's manager", (d) => d.managerOf(personId));
  if (!looked || looked.note) return person.managerId;
  const manager = looked.value;
  const at = deps.clock.now().toISOString();
  if (manager && manager.id !== personId && !(await deps.store.people.get(tenantId, manager.id))) await deps.store.people.upsert(directoryRecord(tenantId, manager, at));
  if (!manager || manager.id === personId) {
    if (person.managerId) await deps.store.people.setManager(tenantId, personId, undefined);
    await deps.store.people.upsert({ tenantId, id: personId, name: person.name, managerReadAt: at, updatedAt: at });
    return undefined;
  }
  await deps.store.people.upsert({ tenantId, id: personId, name: person.name, managerId: manager.id, managerSource: 'entra', managerReadAt: at, updatedAt: at });
  return manager.id;
}
