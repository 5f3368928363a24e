import type { Deal } from '../domain/deal';
import { type MilestoneArg, type PlanInput, recordMilestone, savePlan, snoozeFollowUp } from '../domain/delivery-plan-rules';
import { changeDeal, type ChangeOptions } from './change-deal';
import type { Actor, AppDeps } from './context';

/** The owner confirms or changes the delivery plan (one conditional write; scheduled follow-ups move with it). */
export function saveDeliveryPlan(deps: AppDeps, actor: Actor, dealId: string, input: PlanInput, options: ChangeOptions = {}): Promise<Deal> {
  return changeDeal(deps, actor, dealId, (deal, at) => savePlan(deal, input, actor.user, at), options);
}

/** `milestone <ref> <name> [done|<date>]`; done schedules a follow-up due now, in the same write. */
export function markMilestone(deps: AppDeps, actor: Actor, dealId: string, name: string, arg: MilestoneArg, options: ChangeOptions = {}): Promise<Deal> {
  return changeDeal(deps, actor, dealId, (deal, at) => recordMilestone(deal, name, arg, actor.user, at), options);
}

/** Snooze a week: the follow-up is asked again seven days from now. */
export function snoozeCsat(deps: AppDeps, actor: Actor, dealId: string, followUpId: string, options: ChangeOptions = {}): Promise<Deal> {
  return changeDeal(deps, actor, dealId, (deal, at) => snoozeFollowUp(deal, followUpId, actor.user, at), options);
}
