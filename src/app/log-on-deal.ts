import { type Deal, withChanges } from '../domain/deal';
import { cleanText, NOTE_MAX } from '../domain/deal-fields';
import { DomainError } from '../domain/errors';
import { type ChangeOptions, changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

export { NOTE_MAX };

/**
 * Appends a note to a deal's history ("Log on deal" on a Teams message), in one conditional write.
 * Only the owner may (changeDeal's default); closed deals take notes too. Callers word empty or
 * too-long text for the user; this guard only keeps bad text out of the store.
 */
export function logOnDeal(deps: AppDeps, actor: Actor, id: string, text: string, options?: ChangeOptions): Promise<Deal> {
  const note = cleanText(text);
  if (!note) throw new DomainError('REQUEST.INVALID');
  if (note.length > NOTE_MAX) throw new DomainError('DEAL.NOTE_TOO_LONG', { max: NOTE_MAX });
  return changeDeal(deps, actor, id, (deal, at) => withChanges(deal, actor.user, at, [{ kind: 'note', text: note }], {}), options);
}
