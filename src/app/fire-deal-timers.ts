import { fireDealTimers } from '../domain/deal-timers';
import type { Person } from '../domain/person';
import { changeDeal } from './change-deal';
import type { AppDeps } from './context';
import { untraced } from '../ports/work-tracer.port';

/** Who the audit trail names for what DealDesk does by itself. */
export const DEALDESK: Person = { id: 'dealdesk', name: 'DealDesk' };

const DEALS_PER_ROUND = 50;

/**
 * Fires the deal timers that fell due (also while DealDesk was down): approval reminders and
 * escalations, CSAT follow-ups. Each fires with its notice in one conditional write of the deal, so with
 * several instances, or after a restart, each fires exactly once. Returns how many deals were changed.
 */
export async function fireDueDealTimers(deps: AppDeps): Promise<number> {
  const due = await deps.store.deals.findWithDueTimers(deps.clock.now().toISOString(), DEALS_PER_ROUND);
  const traced = deps.traceWork ?? untraced;
  let changed = 0;
  for (const { tenantId, id } of due) {
    try {
      const actor = { tenantId, user: DEALDESK };
      let fired = false;
      // Each deal's timers are one operation: its reads, its write and what it logs are seen together.
      await traced('deal timers', () => changeDeal(deps, actor, id, (deal, at) => {
        const next = fireDealTimers(deal, at, DEALDESK);
        fired = next !== deal;
        return next;
      }, { trusted: true }));
      if (fired) changed++;
    } catch (e) {
      deps.logger.error({ err: e, dealId: id }, 'could not fire the timers of a deal');
    }
  }
  return changed;
}
