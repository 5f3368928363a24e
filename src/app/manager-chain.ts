import { MANAGER_CHAIN_MAX } from '../domain/deal-visibility';
import type { Store } from '../ports/store.port';

/** At most this many people count as someone's reports in a listing's store filter (a query parameter). */
export const REPORTS_MAX = 2000;

/**
 * Whether `managerId` is in `personId`'s manager chain: their manager, that manager's manager, and so on
 * (people's managerId, set by admins). The walk stops at the top, at a loop (someone met twice), or after
 * MANAGER_CHAIN_MAX steps. One point read per step.
 */
export async function isInManagerChain(store: Pick<Store, 'people'>, tenantId: string, personId: string, managerId: string): Promise<boolean> {
  const seen = new Set([personId]);
  let current = personId;
  for (let step = 0; step < MANAGER_CHAIN_MAX; step++) {
    const next = (await store.people.get(tenantId, current))?.managerId;
    if (!next || seen.has(next)) return false;
    if (next === managerId) return true;
    seen.add(next);
    current = next;
  }
  return false;
}

/**
 * Everyone `managerId` manages, directly or through others: the same chains seen from the top, one query per
 * level, with the same guards (a loop, MANAGER_CHAIN_MAX levels), and at most REPORTS_MAX people.
 */
export async function reportsUnder(store: Pick<Store, 'people'>, tenantId: string, managerId: string): Promise<Set<string>> {
  const found = new Set<string>();
  let level = [managerId];
  for (let depth = 0; depth < MANAGER_CHAIN_MAX && level.length > 0 && found.size < REPORTS_MAX; depth++) {
    const ids = await store.people.reportIdsOf(tenantId, level);
    level = ids.filter((id) => id !== managerId && !found.has(id)).slice(0, REPORTS_MAX - found.size);
    for (const id of level) found.add(id);
  }
  return found;
}
