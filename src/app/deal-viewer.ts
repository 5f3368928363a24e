import type { Viewer } from '../domain/deal-visibility';
import { isAdmin } from './authorise';
import type { Actor, AppDeps } from './context';

/**
 * The acting person as a deal viewer: admin or not, and whose manager they are (people's managerId). The
 * identity is the actor's (from the activity); the rest is read from the store.
 */
export async function viewerOf(deps: AppDeps, actor: Actor, owners?: { ownerId: string }): Promise<Viewer> {
  const admin = await isAdmin(deps, actor);
  if (owners) {
    // One deal: is the actor its owner's manager?
    const owner = owners.ownerId === actor.user.id ? undefined : await deps.store.people.get(actor.tenantId, owners.ownerId);
    return { id: actor.user.id, admin, reports: new Set(owner?.managerId === actor.user.id ? [owners.ownerId] : []) };
  }
  const reports = admin ? [] : await deps.store.people.listReports(actor.tenantId, actor.user.id);
  return { id: actor.user.id, admin, reports: new Set(reports.map((p) => p.id)) };
}
