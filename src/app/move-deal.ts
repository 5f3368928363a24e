import type { Deal } from '../domain/deal';
import { type MoveInput, moveDeal as applyMove } from '../domain/move-deal';
import type { MoveTarget } from '../domain/stage';
import { type ChangeOptions, changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/** Moves a deal (forward through its gates, back with a reason, or closed Won/Lost). */
export const moveDeal = (deps: AppDeps, actor: Actor, id: string, target: MoveTarget, input: MoveInput, options?: ChangeOptions): Promise<Deal> =>
  changeDeal(deps, actor, id, (deal, at) => applyMove(deal, target, input, actor.user, at), options);
