import { applyApprovalTimers } from './approval-round';
import type { Deal } from './deal';
import { askDueFollowUps, followUpDueAt } from './follow-up-timers';
import type { Person } from './person';

/**
 * Work a deal's own changes scheduled on it: approval reminders and escalations, CSAT follow-ups. Each
 * timer lives in the deal document, so it is created by the same conditional write as the change that
 * causes it, and fires as one conditional write of the deal (the timer consumed, its notice recorded):
 * with several instances, or after a crash, it fires exactly once.
 */
export function dealTimersDueAt(deal: Deal): string | undefined {
  const due = [deal.approvalDueAt, followUpDueAt(deal)].filter((t): t is string => t !== undefined);
  return due.length > 0 ? due.sort()[0] : undefined;
}

/** Fires every timer of the deal due at `at`. Returns the deal itself when none is. */
export function fireDealTimers(deal: Deal, at: string, dealdesk: Person): Deal {
  return askDueFollowUps(applyApprovalTimers(deal, at, dealdesk), at);
}
