import type { Deal } from '../domain/deal';
import { REFRESH_USERS_MAX } from '../domain/live-card';
import type { AppDeps } from './context';

/**
 * Whose copy of a shared deal card Teams refreshes on its own: the owner first, then the deal team,
 * by their Teams user ids (`29:…`). Ids the deal does not carry are looked up among the people
 * DealDesk knows; people it has never seen are left out (they refresh the card from its menu, and
 * any press on it answers with the current deal).
 */
export async function liveCardViewers(deps: AppDeps, deal: Deal): Promise<string[]> {
  const people = [deal.owner, ...(deal.team ?? []).map((m) => m.person)].slice(0, REFRESH_USERS_MAX);
  const ids = await Promise.all(
    people.map(async (p) => p.userId ?? (await deps.store.people.get(deal.tenantId, p.id).catch(() => undefined))?.userId),
  );
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.length > 0))].slice(0, REFRESH_USERS_MAX);
}
