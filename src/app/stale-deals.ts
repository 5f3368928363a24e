import type { Deal } from '../domain/deal';
import { isWorthShowing, nudgeOrder, nudgeRowState, type NudgeRowState } from '../domain/stale-deal';
import { localDateOf } from '../domain/zoned-time';
import type { Actor, AppDeps } from './context';

/** "Today" where the person is: their Teams time zone, or the configured default. */
export async function todayOf(deps: AppDeps, tenantId: string, personId: string, now: Date): Promise<string> {
  const person = await deps.store.people.get(tenantId, personId);
  return localDateOf(now, person?.timeZone ?? deps.settings.schedule.timeZone);
}

export interface NudgeView {
  rows: Array<{ deal: Deal; state: NudgeRowState }>;
}

/** `stale`: the actor's open deals that are stale and not snoozed, as nudge rows. */
export async function listStaleDeals(deps: AppDeps, actor: Actor): Promise<NudgeView> {
  const now = deps.clock.now();
  const today = await todayOf(deps, actor.tenantId, actor.user.id, now);
  const { staleAfterDays } = deps.settings.schedule;
  const open = await deps.store.deals.listByOwner(actor.tenantId, actor.user.id, { openOnly: true });
  const stale = nudgeOrder(open.filter((d) => isWorthShowing(d, now, today, staleAfterDays)));
  return { rows: stale.map((deal) => ({ deal, state: nudgeRowState(deal, now, today, staleAfterDays) })) };
}

/**
 * A nudge card's deals as they stand now, re-read by id (the ids come from card data: untrusted). Only
 * the actor's own deals are shown; ids of others' deals, or of no deal, are left out.
 */
export async function reviewNudgedDeals(deps: AppDeps, actor: Actor, ids: readonly string[]): Promise<NudgeView> {
  const now = deps.clock.now();
  const today = await todayOf(deps, actor.tenantId, actor.user.id, now);
  const { staleAfterDays } = deps.settings.schedule;
  const rows: NudgeView['rows'] = [];
  for (const id of new Set(ids)) {
    const stored = await deps.store.deals.get(actor.tenantId, id);
    if (stored && stored.deal.owner.id === actor.user.id) rows.push({ deal: stored.deal, state: nudgeRowState(stored.deal, now, today, staleAfterDays) });
  }
  return { rows };
}
