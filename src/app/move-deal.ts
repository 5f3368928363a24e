import type { Deal } from '../domain/deal';
import { type MoveInput, moveDeal as applyMove } from '../domain/move-deal';
import type { MoveTarget } from '../domain/stage';
import { type ChangeOptions, changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/**
 * Moves a deal (forward through its gates, back with a reason, or closed Won/Lost). Closing Won reads the
 * tenant's approval policy once: the gate card names approval with what else the move lacks, and changeDeal
 * judges the approval rule on the deal as it closes (final value included) with the same policy.
 */
export async function moveDeal(deps: AppDeps, actor: Actor, id: string, target: MoveTarget, input: Omit<MoveInput, 'policy'>, options?: ChangeOptions): Promise<Deal> {
  const policy = target.stage === 'Close' && target.outcome === 'Won' ? (await deps.store.settings.getPolicy(actor.tenantId)).policy : undefined;
  return changeDeal(deps, actor, id, (deal, at) => applyMove(deal, target, { ...input, policy }, actor.user, at), { ...options, policy });
}
