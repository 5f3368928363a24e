import type { Deal } from '../domain/deal';
import { pushCloseDate } from '../domain/stale-deal';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';
import { todayOf } from './stale-deals';

/**
 * A nudge card's "push the close date" fix (its other, snoozeStaleDeal, is beside it). Each is one conditional
 * write by the deal's owner on the revision the card showed (`seenRev`): a deal changed since is never overwritten.
 */
export async function pushStaleCloseDate(deps: AppDeps, actor: Actor, id: string, seenRev: number): Promise<Deal> {
  const today = await todayOf(deps, actor.tenantId, actor.user.id, deps.clock.now());
  return changeDeal(deps, actor, id, (deal, at) => pushCloseDate(deal, today, actor.user, at), { seenRev });
}
