import type { StoredDeal } from '../ports/deal-repository.port';
import type { Actor, AppDeps } from './context';
import { mayRead } from './deal-viewer';

/** What a pasted deal link shows this person: the deal, or only that they may not see it, or that it does not exist. */
export type UnfurledDeal = { kind: 'deal'; stored: StoredDeal } | { kind: 'denied'; id: string } | { kind: 'notFound'; id: string };

/**
 * Link unfurling: the deal for those who may read it (DEAL_VISIBILITY), nothing of it for others. Under `team`
 * an unknown id is answered as a hidden deal is ("denied"), so a link never tells whether a deal exists.
 */
export async function unfurlDeal(deps: AppDeps, actor: Actor, id: string): Promise<UnfurledDeal> {
  const stored = await deps.store.deals.get(actor.tenantId, id);
  if (stored && (await mayRead(deps, actor, stored.deal))) return { kind: 'deal', stored };
  return deps.settings.dealVisibility === 'team' ? { kind: 'denied', id } : { kind: 'notFound', id };
}
