import type { Deal } from '../domain/deal';
import { applyPlan, type UpdatePlan } from '../domain/update-plan';
import { localDateOf } from '../domain/zoned-time';
import { APPLIED_EVENTS_KEPT } from './apply-crm-change';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/** How a proposal is remembered on the deal it was applied to, beside the CRM's event ids. */
export const proposalKey = (proposalId: string) => `proposal:${proposalId}`;

export interface AppliedUpdate {
  deal: Deal;
  /** The deal already held this proposal: nothing was written. */
  duplicate: boolean;
  /** Whether anything changed (every ticked value may equal the deal's already). */
  changed: boolean;
}

/**
 * Applies what the user confirmed on a proposal card as one change of the deal, through changeDeal: the owner
 * authorised as for a command, the same gates, approval rule, history and alert, and the proposal's id remembered in
 * the same conditional write, so a replayed Apply (a second press, a retried invoke) changes nothing more.
 */
export async function applyUpdate(deps: AppDeps, actor: Actor, dealId: string, proposalId: string, plan: UpdatePlan, kickoff: string): Promise<AppliedUpdate> {
  const won = plan.target?.stage === 'Close' && plan.target.outcome === 'Won';
  // Closing Won reads the policy up front, so a refusal lists approval with whatever else the gate lacks.
  const policy = won ? (await deps.store.settings.getPolicy(actor.tenantId)).policy : undefined;
  const key = proposalKey(proposalId);
  let duplicate = false;
  let changed = false;
  const deal = await changeDeal(deps, actor, dealId, (current, at) => {
    duplicate = (current.appliedEvents ?? []).includes(key);
    if (duplicate) return current;
    const closedOn = won ? localDateOf(new Date(at), deps.settings.schedule.timeZone) : undefined;
    const next = applyPlan(current, plan, actor.user, at, { policy, closedOn, kickoff });
    changed = next !== current;
    return changed ? { ...next, appliedEvents: [...(current.appliedEvents ?? []), key].slice(-APPLIED_EVENTS_KEPT) } : current;
  }, { policy });
  return { deal, duplicate, changed };
}
