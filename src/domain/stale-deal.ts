import type { CalendarDate } from './calendar-date';
import { type Deal, isOpen, withChanges } from './deal';
import { DomainError } from './errors';
import type { Person } from './person';
import type { Outcome } from './stage';

/**
 * Stale deals and their nudges. An open deal is stale when its close date has passed, or when nothing
 * changed for `staleAfterDays` days. Its owner is nudged about it at most once a week, and not while
 * they snoozed it. Pure: "now" and the owner's local date ("today") come from the caller.
 */
export const NUDGE_EVERY_DAYS = 7;
export const SNOOZE_DAYS = 7;
export const PUSH_DAYS = 30;
/** At most this many deals on one nudge card (the oldest close dates first). */
export const NUDGE_ROWS_MAX = 15;

const DAY_MS = 86_400_000;
/**
 * The daily run starts a little earlier or later from day to day (the scheduler's poll, the lease): a
 * nudge a week ago at about this hour counts as a week ago, so the weekly nudge does not slip a day.
 */
export const RUN_SLACK_MS = 3_600_000;

/** Why a deal is stale; the close date first when both hold. */
export type StaleReason = { kind: 'closeDatePassed'; closeDate: CalendarDate } | { kind: 'unchanged'; days: number };

export function staleReason(deal: Deal, now: Date, today: CalendarDate, staleAfterDays: number): StaleReason | undefined {
  if (!isOpen(deal)) return undefined;
  if (deal.closeDate < today) return { kind: 'closeDatePassed', closeDate: deal.closeDate };
  const days = Math.floor((now.getTime() - Date.parse(deal.updatedAt)) / DAY_MS);
  return days >= staleAfterDays ? { kind: 'unchanged', days } : undefined;
}

export const isStale = (deal: Deal, now: Date, today: CalendarDate, staleAfterDays: number): boolean =>
  staleReason(deal, now, today, staleAfterDays) !== undefined;

export const isSnoozed = (deal: Deal, now: Date): boolean =>
  deal.nudge?.snoozedUntil !== undefined && Date.parse(deal.nudge.snoozedUntil) > now.getTime();

export const nudgedRecently = (deal: Deal, now: Date): boolean =>
  deal.nudge?.lastAt !== undefined && now.getTime() - Date.parse(deal.nudge.lastAt) < NUDGE_EVERY_DAYS * DAY_MS - RUN_SLACK_MS;

/** What the daily nudge lists: stale, not snoozed, and not nudged in the last week. */
export const isNudgeable = (deal: Deal, now: Date, today: CalendarDate, staleAfterDays: number): boolean =>
  isStale(deal, now, today, staleAfterDays) && !isSnoozed(deal, now) && !nudgedRecently(deal, now);

/** What `stale` lists on demand: stale and not snoozed (a recent nudge does not hide a deal from its owner). */
export const isWorthShowing = (deal: Deal, now: Date, today: CalendarDate, staleAfterDays: number): boolean =>
  isStale(deal, now, today, staleAfterDays) && !isSnoozed(deal, now);

/** The deals a nudge card lists: past close dates first, then the longest unchanged; at most NUDGE_ROWS_MAX. */
export const nudgeOrder = (deals: readonly Deal[]): Deal[] =>
  [...deals].sort((a, b) => a.closeDate.localeCompare(b.closeDate) || a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number).slice(0, NUDGE_ROWS_MAX);

/** How one deal of a nudge card stands now: still to fix, or fixed (and how). */
export type NudgeRowState =
  | { kind: 'stale'; reason: StaleReason }
  | { kind: 'pushed'; closeDate: CalendarDate }
  | { kind: 'snoozed'; until: string }
  | { kind: 'closed'; outcome?: Outcome }
  | { kind: 'upToDate' };

/** What a nudge card shows of a deal: a queued nudge carries only these fields, not whole deals. */
export type NudgeDeal = Pick<Deal, 'id' | 'title' | 'account' | 'value' | 'rev'>;

/** One deal of a nudge card and how it stands. `rev` is the revision its buttons act on. */
export interface NudgeRow {
  deal: NudgeDeal;
  state: NudgeRowState;
  rev?: number;
}

export const nudgeDeal = ({ id, title, account, value, rev }: NudgeDeal): NudgeDeal => ({ id, title, account, value, rev });

export function nudgeRowState(deal: Deal, now: Date, today: CalendarDate, staleAfterDays: number): NudgeRowState {
  if (!isOpen(deal)) return { kind: 'closed', outcome: deal.outcome };
  if (isSnoozed(deal, now)) return { kind: 'snoozed', until: deal.nudge!.snoozedUntil! };
  const reason = staleReason(deal, now, today, staleAfterDays);
  return reason ? { kind: 'stale', reason } : { kind: 'upToDate' };
}

const addDays = (date: CalendarDate, days: number): CalendarDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The close date "Push +30 days" sets: 30 days after the later of today and the current close date. */
export const pushedCloseDate = (closeDate: CalendarDate, today: CalendarDate): CalendarDate =>
  addDays(closeDate > today ? closeDate : today, PUSH_DAYS);

/** Pushes an open deal's close date by PUSH_DAYS, recorded in its history like any close date change. */
export function pushCloseDate(deal: Deal, today: CalendarDate, by: Person, at: string): Deal {
  if (!isOpen(deal)) throw new DomainError('DEAL.CLOSED', { id: deal.id });
  const to = pushedCloseDate(deal.closeDate, today);
  return withChanges(deal, by, at, [{ kind: 'field', field: 'closeDate', from: deal.closeDate, to }], { closeDate: to });
}

/** Snoozes an open deal's nudges for SNOOZE_DAYS. Bookkeeping, not a change of the deal: no history, no alert. */
export function snoozeNudges(deal: Deal, now: Date): Deal {
  if (!isOpen(deal)) throw new DomainError('DEAL.CLOSED', { id: deal.id });
  return { ...deal, nudge: { ...deal.nudge, snoozedUntil: new Date(now.getTime() + SNOOZE_DAYS * DAY_MS).toISOString() } };
}

/** Records that the owner was nudged about the deal at `now`. Bookkeeping: no history, no alert. */
export const recordNudge = (deal: Deal, now: Date): Deal => ({ ...deal, nudge: { ...deal.nudge, lastAt: now.toISOString() } });
