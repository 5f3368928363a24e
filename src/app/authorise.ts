import type { Deal } from '../domain/deal';
import { DomainError } from '../domain/errors';
import type { Directory } from '../ports/directory.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import { inAdminGroup } from './admin-group';
import type { Actor, AppDeps, AppSettings } from './context';

/**
 * What deciding who is an admin needs: the ADMINS setting and, for e-mail entries, the people DealDesk knows; with
 * ADMIN_GROUP_ID, the directory.
 */
export interface AdminDeps {
  store: Pick<Store, 'people'>;
  settings: Pick<AppSettings, 'admins'> & Partial<Pick<AppSettings, 'adminGroupId'>>;
  directory?: Directory;
  logger?: Logger;
}

/** Admins are listed by AAD object id or e-mail (config ADMINS), or are members of an Entra group (ADMIN_GROUP_ID). */
export async function isAdminId(deps: AdminDeps, tenantId: string, personId: string): Promise<boolean> {
  const { admins, adminGroupId } = deps.settings;
  if (admins.length > 0) {
    if (admins.includes(personId.toLowerCase())) return true;
    const email = (await deps.store.people.get(tenantId, personId))?.email?.toLowerCase();
    if (email && admins.includes(email)) return true;
  }
  return !!adminGroupId && !!deps.directory?.serves(tenantId) && inAdminGroup(deps, tenantId, personId, adminGroupId);
}

export const isAdmin = (deps: AdminDeps, actor: Actor): Promise<boolean> => isAdminId(deps, actor.tenantId, actor.user.id);

/** The deal team may be changed by the deal's owner, the owner's manager, or an admin. */
export async function teamAuthoriser(deps: AppDeps, actor: Actor, deal: Deal): Promise<() => void> {
  if (deal.owner.id === actor.user.id) return () => undefined;
  const owner = await deps.store.people.get(actor.tenantId, deal.owner.id);
  if (owner?.managerId === actor.user.id || (await isAdmin(deps, actor))) return () => undefined;
  return () => {
    throw new DomainError('TEAM.NOT_ALLOWED', { id: deal.id, owner: deal.owner.name });
  };
}
