import type { Deal } from '../domain/deal';
import { DomainError } from '../domain/errors';
import type { Store } from '../ports/store.port';
import type { Actor, AppDeps, AppSettings } from './context';

/** What deciding who is an admin needs: the ADMINS setting and, for e-mail entries, the people DealDesk knows. */
export interface AdminDeps {
  store: Pick<Store, 'people'>;
  settings: Pick<AppSettings, 'admins'>;
}

/** Admins are listed by AAD object id or e-mail (config ADMINS). */
export async function isAdminId(deps: AdminDeps, tenantId: string, personId: string): Promise<boolean> {
  const admins = deps.settings.admins;
  if (admins.length === 0) return false;
  if (admins.includes(personId.toLowerCase())) return true;
  const email = (await deps.store.people.get(tenantId, personId))?.email?.toLowerCase();
  return !!email && admins.includes(email);
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
