import { applyApprovalTimers } from '../domain/approval-round';
import type { Person } from '../domain/person';
import { changeDeal } from './change-deal';
import type { AppDeps } from './context';

/** Who the audit trail names for what DealDesk does by itself. */
export const DEALDESK: Person = { id: 'dealdesk', name: 'DealDesk' };

const DEALS_PER_ROUND = 50;

/**
 * Reminders and escalations of pending approvals that fell due (also while DealDesk was down). Each is
 * recorded with its notice in one conditional write of the deal, so with several instances, or after a
 * restart, each happens exactly once. Returns how many deals were updated.
 */
export async function runApprovalTimers(deps: AppDeps): Promise<number> {
  const due = await deps.store.deals.findWithDueApprovals(deps.clock.now().toISOString(), DEALS_PER_ROUND);
  let updated = 0;
  for (const { tenantId, id } of due) {
    try {
      const actor = { tenantId, user: DEALDESK };
      const before = await deps.store.deals.get(tenantId, id);
      const after = await changeDeal(deps, actor, id, (deal, at) => applyApprovalTimers(deal, at, DEALDESK), { trusted: true });
      if (before && after.rev !== before.deal.rev) updated++;
    } catch (e) {
      deps.logger.error({ err: e, dealId: id }, 'could not apply the approval reminders of a deal');
    }
  }
  return updated;
}
