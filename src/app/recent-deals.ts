import type { Deal } from '../domain/deal';
import type { Actor, AppDeps } from './context';

export const RECENT_DEALS_SHOWN = 25;

/** The actor's open deals, most recently updated first: what a "pick the deal" list offers. */
export async function recentOpenDeals(deps: AppDeps, actor: Actor, limit = RECENT_DEALS_SHOWN): Promise<Deal[]> {
  const deals = await deps.store.deals.listByOwner(actor.tenantId, actor.user.id, { openOnly: true });
  return [...deals].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.number - a.number).slice(0, limit);
}
