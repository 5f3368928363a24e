import type { Deal } from '../domain/deal';
import { snoozeNudges } from '../domain/stale-deal';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/**
 * A nudge card's "snooze" fix: the deal's nudges stop for a week. Bookkeeping only (no history entry, no alert to the
 * team), one conditional write by the deal's owner on the revision the card showed (`seenRev`).
 */
export const snoozeStaleDeal = (deps: AppDeps, actor: Actor, id: string, seenRev: number): Promise<Deal> =>
  changeDeal(deps, actor, id, (deal, at) => snoozeNudges(deal, new Date(at)), { seenRev });
