import type { Deal } from '../domain/deal';
import { recordAlert } from '../domain/alert-outbox';
import { DomainError } from '../domain/errors';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { Actor, AppDeps } from './context';
import { getDeal } from './find-deal';

export const MAX_ATTEMPTS = 4;

export interface ChangeOptions {
  /** The revision the user saw (a card's rev). When set, a deal changed since is never overwritten. */
  seenRev?: number;
  /** A trusted system (the CRM webhook, signed) acts: no owner check. */
  trusted?: boolean;
  /** Who may make this change; the default is the deal's owner. */
  authorise?: (actor: Actor, deal: Deal) => void;
}

/** Who may change a deal. Deal teams, managers and admins come with the issues that introduce them. */
export function assertCanChange(actor: Actor, deal: Deal): void {
  if (deal.owner.id !== actor.user.id) throw new DomainError('DEAL.NOT_OWNER', { id: deal.id, owner: deal.owner.name });
}

/**
 * Applies a pure change to a deal as one conditional write (IfMatch on the etag). On a conflict the
 * change is re-applied to the fresh deal, unless the user acted on a revision they saw: then they are
 * told it changed meanwhile, so a concurrent update is never silently overwritten.
 */
export async function changeDeal(deps: AppDeps, actor: Actor, id: string, change: (deal: Deal, at: string) => Deal, options: ChangeOptions = {}): Promise<Deal> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { deal, etag } = await getDeal(deps, actor, id);
    if (!options.trusted) (options.authorise ?? assertCanChange)(actor, deal);
    if (options.seenRev !== undefined && options.seenRev !== deal.rev) throw new DomainError('DEAL.CHANGED_MEANWHILE', { id });
    const at = deps.clock.now().toISOString();
    const changed = change(deal, at);
    if (changed === deal) return deal;
    // One write is one revision, however many fields it changed, and it carries the alert it causes.
    const next = recordAlert(deal, { ...changed, rev: deal.rev + 1 }, actor.user, at, deps.settings.coalesceMs);
    try {
      const saved = (await deps.store.deals.replace(next, etag)).deal;
      if (saved.outbox.length > 0 || saved.notices.length > 0) deps.alertQueued?.();
      return saved;
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError)) throw e;
      deps.logger.info({ dealId: id, attempt }, 'deal changed during update; re-reading');
    }
  }
  throw new DomainError('DEAL.BUSY', { id });
}
