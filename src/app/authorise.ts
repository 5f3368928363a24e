import type { Deal } from '../domain/deal';
import { DomainError } from '../domain/errors';
import type { Actor, AppDeps } from './context';

/** Admins are listed by AAD object id or e-mail (config ADMINS). */
export async function isAdmin(deps: AppDeps, actor: Actor): Promise<boolean> {
  const admins = deps.settings.admins;
  if (admins.length === 0) return false;
  if (admins.includes(actor.user.id.toLowerCase())) return true;
  const email = (await deps.store.people.get(actor.tenantId, actor.user.id))?.email?.toLowerCase();
  return !!email && admins.includes(email);
}

/** The deal team may be changed by the deal's owner, the owner's manager, or an admin. */
export async function teamAuthoriser(deps: AppDeps, actor: Actor, deal: Deal): Promise<() => void> {
  if (deal.owner.id === actor.user.id) return () => undefined;
  const owner = await deps.store.people.get(actor.tenantId, deal.owner.id);
  if (owner?.managerId === actor.user.id || (await isAdmin(deps, actor))) return () => undefined;
  return () => {
    throw new DomainError('TEAM.NOT_ALLOWED', { id: deal.id, owner: deal.owner.name });
  };
}
