import type { Deal, DealField } from '../domain/deal';
import { setDealField } from '../domain/set-deal-field';
import { type ChangeOptions, changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/**
 * Sets one or more fields in one write. Each value is validated by the domain; the first bad one
 * stops the whole update, so nothing partial is stored.
 */
export const updateDeal = (deps: AppDeps, actor: Actor, id: string, fields: ReadonlyArray<[DealField, string]>, options?: ChangeOptions): Promise<Deal> =>
  changeDeal(deps, actor, id, (deal, at) => fields.reduce((d, [field, value]) => setDealField(d, field, value, actor.user, at), deal), options);
