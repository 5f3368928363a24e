import type { Deal } from '../domain/deal';
import { pushCloseDate, snoozeNudges } from '../domain/stale-deal';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';
import { todayOf } from './stale-deals';

/**
 * The one-click fixes of a nudge card. Each is one conditional write by the deal's owner on the
 * revision the card showed (`seenRev`): a deal changed since is never overwritten.
 */
export async function pushStaleCloseDate(deps: AppDeps, actor: Actor, id: string, seenRev: number): Promise<Deal> {
  const today = await todayOf(deps, actor.tenantId, actor.user.id, deps.clock.now());
  return changeDeal(deps, actor, id, (deal, at) => pushCloseDate(deal, today, actor.user, at), { seenRev });
}

/** Snoozes the deal's nudges for a week: bookkeeping only (no history entry, no alert to the team). */
export const snoozeStaleDeal = (deps: AppDeps, actor: Actor, id: string, seenRev: number): Promise<Deal> =>
  changeDeal(deps, actor, id, (deal, at) => snoozeNudges(deal, new Date(at)), { seenRev });
