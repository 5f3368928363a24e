import type { Deal, DealField } from '../domain/deal';
import { setDealField } from '../domain/set-deal-field';
import type { StoredDeal } from '../ports/deal-repository.port';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/** Fields to set on one deal, each value as typed; the revision the user saw, or the deal as this turn read it. */
export interface UpdateDealInput {
  id: string;
  fields: ReadonlyArray<[DealField, string]>;
  /** The revision the user saw (a form's rev): a deal changed since is never overwritten (DEAL.CHANGED_MEANWHILE). */
  seenRev?: number;
  /** The deal as this turn already read it: one read and one conditional write in all. */
  read?: StoredDeal;
}

/** Updated (one new revision), or unchanged: every value equals the deal's already, and nothing was written. */
export type UpdateResult = { kind: 'updated' | 'unchanged'; deal: Deal };

/**
 * Sets one or more fields in one write. Each value is validated by the domain; the first bad one
 * stops the whole update (thrown), so nothing partial is stored.
 */
export async function updateDeal(deps: AppDeps, actor: Actor, input: UpdateDealInput): Promise<UpdateResult> {
  const { id, fields, seenRev, read } = input;
  let unchanged = false;
  const deal = await changeDeal(deps, actor, id, (current, at) => {
    const next = fields.reduce((d, [field, value]) => setDealField(d, field, value, actor.user, at), current);
    unchanged = next === current;
    return next;
  }, { seenRev, read });
  return { kind: unchanged ? 'unchanged' : 'updated', deal };
}
