import { evaluatePolicy } from '../domain/evaluate-policy';
import type { Deal } from '../domain/deal';
import { type MoveInput, moveDeal as applyMove } from '../domain/move-deal';
import type { MoveTarget } from '../domain/stage';
import { type ChangeOptions, changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/** Moves a deal (forward through its gates, back with a reason, or closed Won/Lost). */
export async function moveDeal(deps: AppDeps, actor: Actor, id: string, target: MoveTarget, input: MoveInput, options?: ChangeOptions): Promise<Deal> {
  // Closing Won: a deal the approval policy calls complex needs its current round approved.
  const policy = target.stage === 'Close' && target.outcome === 'Won' ? (await deps.store.settings.getPolicy(actor.tenantId)).policy : undefined;
  return changeDeal(deps, actor, id, (deal, at) => {
    const evaluation = policy ? evaluatePolicy(deal, policy) : undefined;
    return applyMove(deal, target, { ...input, approvalRequired: evaluation?.complex ?? false, requiredApprovalLevels: evaluation?.levelIds }, actor.user, at);
  }, options);
}
