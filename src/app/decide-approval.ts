import type { Decision } from '../domain/approval';
import { decide } from '../domain/approval-round';
import type { Deal } from '../domain/deal';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/**
 * An approver's decision. Who may decide is checked by the domain from the actor (never from card data);
 * a repeat press, or a press after another approver completed the level, changes nothing. On a write
 * conflict the decision is re-applied to the fresh deal, so simultaneous presses give one outcome.
 */
export const decideApproval = (deps: AppDeps, actor: Actor, dealId: string, decision: Decision, comment: string, seen: { round?: number; levelId?: string }): Promise<Deal> =>
  changeDeal(deps, actor, dealId, (deal, at) => decide(deal, actor.user, decision, comment, at, deps.settings.approvalTiming, seen.round, seen.levelId), {
    authorise: () => undefined,
  });
