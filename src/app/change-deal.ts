import type { ApprovalPolicy } from '../domain/approval-policy';
import { assertApprovalHolds, needsApprovalVerdict } from '../domain/approval-rule';
import type { Deal } from '../domain/deal';
import { recordAlert } from '../domain/alert-outbox';
import { recordCrmEvent } from '../domain/crm-outbox';
import { dealTimersDueAt } from '../domain/deal-timers';
import { DomainError } from '../domain/errors';
import { assertRoomForNotices } from '../domain/waiting-notices';
import { ConcurrentUpdateError, type StoredDeal } from '../ports/deal-repository.port';
import type { Actor, AppDeps } from './context';
import { getDeal } from './find-deal';
import { landedDeal } from './landed-deal';
import { isDealId } from '../domain/deal-ref';

export const MAX_ATTEMPTS = 4;

export interface ChangeOptions {
  /** The revision the user saw (a card's rev). When set, a deal changed since is never overwritten. */
  seenRev?: number;
  /** A trusted system (the CRM webhook, signed) acts: no owner check. */
  trusted?: boolean;
  /** Who may make this change; the default is the deal's owner. */
  authorise?: (actor: Actor, deal: Deal) => void;
  /** The deal as this turn already read it: the first attempt starts from it instead of reading again. */
  read?: StoredDeal;
  /** The tenant's approval policy as this turn already read it; otherwise it is read when a change needs it. */
  policy?: ApprovalPolicy;
  /** The change came from the CRM (its webhook, its poller): it is not sent back to it (no echo), though its alerts and approvals still happen. */
  fromCrm?: boolean;
}

/**
 * Whether the written deal has delivery work due now: approval notices, or an alert whose coalescing
 * window has closed. An alert still gathering changes waits for the dispatcher's next poll, so a change
 * does not wake a sweep that would find nothing due.
 */
const hasDueWork = (deal: Deal, now: string) => deal.notices.length > 0 || (deal.outboxDueAt !== undefined && deal.outboxDueAt <= now);

/** Who may change a deal. Deal teams, managers and admins come with the issues that introduce them. */
export function assertCanChange(actor: Actor, deal: Deal): void {
  if (deal.owner.id !== actor.user.id) throw new DomainError('DEAL.NOT_OWNER', { id: deal.id, owner: deal.owner.name });
}

/**
 * Applies a pure change to a deal as one conditional write (IfMatch on the etag). On a conflict the
 * change is re-applied to the fresh deal, unless the user acted on a revision they saw: then they are
 * told it changed meanwhile, so a concurrent update is never silently overwritten.
 *
 * Every write of a deal but its creation passes here, so here the approval rule (approval-rule.ts) is
 * judged on the complete result, whoever made the change and however: a deal that ends Won with terms the
 * policy calls complex must have an approved round for exactly those terms. The tenant's policy is read
 * only for a result that needs it (a deal becoming Won, or a Won deal's terms changing).
 */
export async function changeDeal(deps: AppDeps, actor: Actor, id: string, change: (deal: Deal, at: string) => Deal, options: ChangeOptions = {}): Promise<Deal> {
  let read = options.read?.deal.id === id ? options.read : undefined;
  let policy = options.policy;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { deal, etag } = read ?? (await readForChange(deps, actor, id, options));
    read = undefined;
    if (!options.trusted) (options.authorise ?? assertCanChange)(actor, deal);
    if (options.seenRev !== undefined && options.seenRev !== deal.rev) throw new DomainError('DEAL.CHANGED_MEANWHILE', { id });
    const at = deps.clock.now().toISOString();
    const changed = change(deal, at);
    if (changed === deal) return deal;
    if (needsApprovalVerdict(deal, changed)) {
      policy ??= (await deps.store.settings.getPolicy(deal.tenantId)).policy;
      assertApprovalHolds(deal, changed, policy);
    }
    // One write is one revision, however many fields it changed, and it carries the alert it causes.
    // And the CRM event (when a CRM is configured and the change did not come from it): the same write again.
    const alerted = recordAlert(deal, { ...changed, rev: deal.rev + 1 }, actor.user, at, deps.settings.coalesceMs);
    const next = deps.settings.crmSync && !options.fromCrm ? recordCrmEvent(deal, alerted, actor.user, at) : alerted;
    assertRoomForNotices(deal, next);
    try {
      const saved = await replaced(deps, next, etag);
      if (hasDueWork(saved, at)) deps.alertQueued?.();
      if (saved.crmSeq !== deal.crmSeq) deps.crmQueued?.();
      const timerDue = dealTimersDueAt(saved);
      if (timerDue !== undefined && timerDue <= at) deps.timersDue?.();
      return saved;
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError)) throw e;
      deps.logger.info({ dealId: id, attempt }, 'deal changed during update; re-reading');
    }
  }
  throw new DomainError('DEAL.BUSY', { id });
}

/**
 * The deal a change starts from: for a person, only a deal they may read (getDeal: DEAL_VISIBILITY), so a
 * refusal never tells them more than reading would; for a trusted system (the signed CRM webhook, DealDesk's
 * own timers and jobs), any deal of the tenant.
 */
async function readForChange(deps: AppDeps, actor: Actor, id: string, options: ChangeOptions): Promise<StoredDeal> {
  if (!options.trusted) return getDeal(deps, actor, id);
  const stored = isDealId(id) ? await deps.store.deals.get(actor.tenantId, id) : undefined;
  if (!stored) throw new DomainError('DEAL.NOT_FOUND', { ref: String(id).slice(0, 20) });
  return stored;
}

/** The conditional replace; when it fails without a clear answer, the write may still have landed: then it counts. */
async function replaced(deps: AppDeps, next: Deal, etag: string): Promise<Deal> {
  try {
    return (await deps.store.deals.replace(next, etag)).deal;
  } catch (e) {
    if (e instanceof ConcurrentUpdateError) throw e;
    const landed = await landedDeal(deps, next);
    if (landed) {
      deps.logger.warn({ dealId: next.id, rev: next.rev }, 'a deal write failed without an answer but had landed; reported as done');
      return landed;
    }
    throw e;
  }
}
