import type { Deal } from '../domain/deal';
import { type MoveInput, withEvidence } from '../domain/move-deal';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';
import type { StoredDeal } from '../ports/deal-repository.port';

/**
 * Stores the evidence typed with a move that is refused only because its approval is under way: one conditional
 * write on the revision the owner saw (none when nothing new was typed). Returns the deal as it now is.
 */
export function keepEvidence(deps: AppDeps, actor: Actor, id: string, evidence: MoveInput['evidence'], seenRev?: number, read?: StoredDeal): Promise<Deal> {
  return changeDeal(deps, actor, id, (deal, at) => withEvidence(deal, evidence, actor.user, at), { seenRev, read });
}
