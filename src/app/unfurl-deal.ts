import { maySeeDeal } from '../domain/deal-visibility';
import type { StoredDeal } from '../ports/deal-repository.port';
import type { Actor, AppDeps } from './context';
import { viewerOf } from './deal-viewer';

/** What a pasted deal link shows this person: the deal, or only that they may not see it, or that it does not exist. */
export type UnfurledDeal = { kind: 'deal'; stored: StoredDeal } | { kind: 'denied'; id: string } | { kind: 'notFound'; id: string };

/** Link unfurling: the deal for those who may see it (owner, deal team, owner's manager, admins); nothing of it for others. */
export async function unfurlDeal(deps: AppDeps, actor: Actor, id: string): Promise<UnfurledDeal> {
  const stored = await deps.store.deals.get(actor.tenantId, id);
  if (!stored) return { kind: 'notFound', id };
  const viewer = await viewerOf(deps, actor, { ownerId: stored.deal.owner.id });
  return maySeeDeal(viewer, stored.deal) ? { kind: 'deal', stored } : { kind: 'denied', id };
}
