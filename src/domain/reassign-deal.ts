import type { Notice } from './approval';
import { type Deal, withChanges } from './deal';
import { DomainError } from './errors';
import { levelOwnerWouldBlock } from './level-owner-would-block';
import type { Person } from './person';

/**
 * The deal changes hands: `to` owns it from now on, with a history entry (recorded by `by`). What the owner is to
 * hear and has not been handed to delivery yet (approval decisions, a delivery plan or CSAT request) goes to the new
 * owner; the nudge state (when the old owner was last nudged, their snooze) starts afresh. The approval round keeps
 * who asked for it and what it covers: an approval covers the deal's terms (approval-rule.ts), and the owner is none
 * of them. Already theirs: the deal unchanged (the same object), so a repeated reassignment writes nothing.
 * Refused (REASSIGN.APPROVER_OF_ROUND) when `to` approves a level of the open round that could then never finish.
 */
export function reassignDeal(deal: Deal, to: Person, by: Person, at: string): Deal {
  if (deal.owner.id === to.id) return deal;
  const blocked = levelOwnerWouldBlock(deal, to);
  if (blocked) throw new DomainError('REASSIGN.APPROVER_OF_ROUND', { id: deal.id, name: to.name, level: blocked.name });
  const from = deal.owner;
  const owner: Person = { id: to.id, name: to.name, ...(to.userId ? { userId: to.userId } : {}) };
  const notices = deal.notices.map((n): Notice => ('to' in n && !Array.isArray(n.to) && n.to.id === from.id ? ({ ...n, to: owner } as Notice) : n));
  return withChanges(deal, by, at, [{ kind: 'owner', from, to: owner }], { owner, notices, nudge: undefined });
}

/** Whether the deal's history says it was taken from `personId` (the latest entries the deal still holds). */
export const reassignedFrom = (deal: Deal, personId: string): boolean =>
  deal.history.some((h) => h.change.kind === 'owner' && h.change.from.id === personId);
