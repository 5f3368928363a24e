import { everyoneMaySee, maySeeDeal, type Viewer, type VisibleDeal } from '../domain/deal-visibility';
import type { DealAudience } from '../ports/deal-repository.port';
import { isAdmin, isAdminId } from './authorise';
import type { Actor, AppDeps } from './context';
import { isInManagerChain, reportsUnder } from './manager-chain';

/**
 * Whether the actor may read this deal (domain/deal-visibility.ts, DEAL_VISIBILITY). Under `tenant` nothing is
 * read to decide; under `team` someone the deal names needs no read either, anyone else costs the admin check
 * and a walk up the owner's manager chain. The identity is the actor's (from the activity).
 */
export async function mayRead(deps: AppDeps, actor: Actor, deal: VisibleDeal): Promise<boolean> {
  const visibility = deps.settings.dealVisibility;
  const named: Viewer = { id: actor.user.id, admin: false, manages: new Set() };
  if (maySeeDeal(visibility, named, deal)) return true;
  const admin = await isAdmin(deps, actor);
  const inChain = !admin && (await isInManagerChain(deps.store, actor.tenantId, deal.owner.id, actor.user.id));
  return maySeeDeal(visibility, { ...named, admin, manages: new Set(inChain ? [deal.owner.id] : []) }, deal);
}

/** How a listing keeps to what its reader may read: the store's filter (none: the whole tenant), and the rule for each deal. */
export interface ListReader {
  audience?: DealAudience;
  mayRead(deal: VisibleDeal): boolean;
}

/**
 * The reader of a listing (search, title matching, the account view, a digest): under `team`, a person who is
 * not an admin gets the deals naming them or owned by anyone they manage, at any depth. Nothing is read under `tenant`.
 */
export async function listReader(deps: AppDeps, tenantId: string, personId: string): Promise<ListReader> {
  const visibility = deps.settings.dealVisibility;
  if (everyoneMaySee(visibility)) return { mayRead: () => true };
  const admin = await isAdminId(deps, tenantId, personId);
  const viewer: Viewer = { id: personId, admin, manages: admin ? new Set() : await reportsUnder(deps.store, tenantId, personId) };
  const mayReadDeal = (deal: VisibleDeal) => maySeeDeal(visibility, viewer, deal);
  return admin ? { mayRead: mayReadDeal } : { audience: { personId, ownerIds: [...viewer.manages] }, mayRead: mayReadDeal };
}
