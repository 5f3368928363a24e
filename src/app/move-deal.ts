import type { Deal } from '../domain/deal';
import { type MoveInput, moveDeal as applyMove } from '../domain/move-deal';
import type { MoveTarget } from '../domain/stage';
import { localDateOf } from '../domain/zoned-time';
import { type ChangeOptions, changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/**
 * Moves a deal (forward through its gates, back with a reason, or closed Won/Lost). Closing Won reads the
 * tenant's approval policy once: the gate card names approval with what else the move lacks, and changeDeal
 * judges the approval rule on the deal as it closes (final value included) with the same policy.
 */
export async function moveDeal(deps: AppDeps, actor: Actor, id: string, target: MoveTarget, input: Omit<MoveInput, 'policy'>, options?: ChangeOptions): Promise<Deal> {
  const policy = target.stage === 'Close' && target.outcome === 'Won' ? (await deps.store.settings.getPolicy(actor.tenantId)).policy : undefined;
  const won = target.stage === 'Close' && target.outcome === 'Won';
  // The day it closed is the tenant's day (a Beijing team closing at 01:00 closes on its own date, not UTC's).
  const closedOn = (at: string) => (won ? localDateOf(new Date(at), deps.settings.schedule.timeZone) : undefined);
  return changeDeal(deps, actor, id, (deal, at) => applyMove(deal, target, { closedOn: closedOn(at), ...input, policy }, actor.user, at), { ...options, policy });
}
