import { type CalendarDate, parseCalendarDate } from './calendar-date';
import { type Deal, withChanges } from './deal';
import { cleanText } from './deal-fields';
import type { DeliveryPlan, FollowUp, FollowUpReason, Milestone } from './delivery-plan';
import { DomainError, type ErrorCode } from './errors';
import type { Person } from './person';
import { shorten } from './shorten-text';

/** A default plan runs this long: planned end = kickoff + 90 days. */
export const PLAN_DAYS = 90;
/** The first CSAT follow-up comes this long after kickoff. */
export const FIRST_FOLLOW_UP_DAYS = 30;
/** A follow-up on a calendar date is due at this hour, UTC (a date has no zone; 09:00 UTC is a working hour in EMEA and the Americas' morning is near). */
export const FOLLOW_UP_HOUR_UTC = 9;
/** Snooze a week. */
export const SNOOZE_DAYS = 7;
export const MILESTONE_NAME_MAX = 80;
export const MILESTONES_MAX = 20;

const DAY_MS = 86_400_000;

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** When a follow-up on this date is due: 09:00 UTC that day. */
export const followUpDueOn = (date: CalendarDate): string => `${date}T${String(FOLLOW_UP_HOUR_UTC).padStart(2, '0')}:00:00.000Z`;

export const addDaysToInstant = (at: string, days: number): string => new Date(Date.parse(at) + days * DAY_MS).toISOString();

/** A date field of the plan, as typed: a date that doesn't exist is refused with the field's own error. */
export function parsePlanDate(input: unknown, code: ErrorCode): CalendarDate {
  const text = cleanText(input);
  try {
    return parseCalendarDate(text);
  } catch {
    throw new DomainError(code, { value: shorten(text, 40) });
  }
}

export function assertWon(deal: Deal): void {
  if (deal.stage !== 'Close' || deal.outcome !== 'Won') throw new DomainError('PLAN.NOT_WON', { id: deal.id });
}

function newFollowUp(plan: Pick<DeliveryPlan, 'followUpSeq'>, reason: FollowUpReason, dueAt: string, milestone?: string): FollowUp {
  return { id: `F${plan.followUpSeq + 1}`, reason, ...(milestone ? { milestone } : {}), dueAt, status: 'scheduled' };
}

/** Kickoff on the day the deal closed Won, planned end 90 days later, follow-ups at kickoff + 30 days and at the end. */
export function defaultPlan(kickoff: CalendarDate): DeliveryPlan {
  const plannedEnd = addDays(kickoff, PLAN_DAYS);
  let plan: DeliveryPlan = { kickoff, plannedEnd, milestones: [], followUps: [], followUpSeq: 0 };
  for (const [reason, date] of [['kickoff', addDays(kickoff, FIRST_FOLLOW_UP_DAYS)], ['end', plannedEnd]] as const) {
    plan = { ...plan, followUps: [...plan.followUps, newFollowUp(plan, reason, followUpDueOn(date))], followUpSeq: plan.followUpSeq + 1 };
  }
  return plan;
}

/** The deal's plan, or the default one from the day it closed (a deal won before plans existed). */
export const planOf = (deal: Deal, at: string): DeliveryPlan => deal.delivery ?? defaultPlan(at.slice(0, 10));

/**
 * Called by the write that closes a deal Won: records the default delivery plan (kickoff = the day it
 * closed, in UTC) and asks the owner to confirm it, in the same write. A deal reopened and won again
 * keeps the plan it had. Any other deal is returned as it is.
 */
export function withDefaultDeliveryPlan(deal: Deal, at: string): Deal {
  if (deal.stage !== 'Close' || deal.outcome !== 'Won' || deal.delivery) return deal;
  return {
    ...deal,
    delivery: defaultPlan(at.slice(0, 10)),
    notices: [...deal.notices, { id: `plan.${deal.id}.${at}`, kind: 'deliveryPlanRequest', to: deal.owner }],
  };
}

export interface PlanInput {
  kickoff: unknown;
  plannedEnd: unknown;
  /** Lines `name | date` (the date may be left out). */
  milestones?: unknown;
}

/** Reads milestone lines `name | date`; the date is optional. */
export function parseMilestoneLines(input: unknown): Array<{ name: string; date?: CalendarDate }> {
  const text = typeof input === 'string' ? input : '';
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l);
  if (lines.length > MILESTONES_MAX) throw new DomainError('PLAN.MILESTONES_TOO_MANY', { max: MILESTONES_MAX });
  const seen = new Set<string>();
  return lines.map((line) => {
    const [nameText, dateText = '', ...extra] = line.split('|');
    const name = parseMilestoneName(nameText);
    if (extra.length > 0) throw new DomainError('PLAN.MILESTONE_DATE_INVALID', { name, value: shorten(line, 40) });
    const date = cleanText(dateText) ? parseMilestoneDate(name, dateText) : undefined;
    if (seen.has(name.toLowerCase())) throw new DomainError('PLAN.MILESTONE_NAME_INVALID', { max: MILESTONE_NAME_MAX });
    seen.add(name.toLowerCase());
    return { name, ...(date ? { date } : {}) };
  });
}

export function parseMilestoneName(input: unknown): string {
  const name = cleanText(input);
  if (!name || name.length > MILESTONE_NAME_MAX || name.includes('|')) throw new DomainError('PLAN.MILESTONE_NAME_INVALID', { max: MILESTONE_NAME_MAX });
  return name;
}

function parseMilestoneDate(name: string, input: unknown): CalendarDate {
  const text = cleanText(input);
  try {
    return parseCalendarDate(text);
  } catch {
    throw new DomainError('PLAN.MILESTONE_DATE_INVALID', { name, value: shorten(text, 40) });
  }
}

/** Follow-ups still scheduled for the kickoff and the end move with the dates; asked and recorded ones stay. */
function rescheduled(followUps: FollowUp[], kickoff: CalendarDate, plannedEnd: CalendarDate): FollowUp[] {
  return followUps.map((f) => {
    if (f.status !== 'scheduled') return f;
    if (f.reason === 'kickoff') return { ...f, dueAt: followUpDueOn(addDays(kickoff, FIRST_FOLLOW_UP_DAYS)) };
    if (f.reason === 'end') return { ...f, dueAt: followUpDueOn(plannedEnd) };
    return f;
  });
}

/**
 * The owner confirms or changes the plan (the delivery-plan card): dates must exist and the end may not
 * come before the kickoff; the milestone lines replace the list (a milestone already done stays done).
 * Changed dates move the scheduled follow-ups in the same write.
 */
export function savePlan(deal: Deal, input: PlanInput, by: Person, at: string): Deal {
  assertWon(deal);
  const kickoff = parsePlanDate(input.kickoff, 'PLAN.KICKOFF_INVALID');
  const plannedEnd = parsePlanDate(input.plannedEnd, 'PLAN.END_INVALID');
  if (plannedEnd < kickoff) throw new DomainError('PLAN.END_BEFORE_KICKOFF', { kickoff, end: plannedEnd });
  const current = planOf(deal, at);
  const given = parseMilestoneLines(input.milestones);
  const milestones: Milestone[] = given.map((m) => {
    const before = current.milestones.find((c) => c.name.toLowerCase() === m.name.toLowerCase());
    return { ...m, ...(before?.doneAt ? { doneAt: before.doneAt } : {}) };
  });
  // Milestones already done are part of the record: they stay even when left out of the lines.
  for (const done of current.milestones.filter((c) => c.doneAt && !milestones.some((m) => m.name.toLowerCase() === c.name.toLowerCase()))) milestones.push(done);
  // Done milestones stay, so the lines plus those must fit the bound too (each done one carries a follow-up and a score).
  if (milestones.length > MILESTONES_MAX) throw new DomainError('PLAN.MILESTONES_TOO_MANY', { max: MILESTONES_MAX });
  const delivery: DeliveryPlan = { ...current, kickoff, plannedEnd, milestones, followUps: rescheduled(current.followUps, kickoff, plannedEnd), confirmedAt: at };
  return withChanges(deal, by, at, [], { delivery });
}

export type MilestoneArg = { kind: 'done' } | { kind: 'date'; date: unknown } | { kind: 'none' };

/**
 * `milestone <ref> <name> [done|<date>]`: adds or updates a milestone of a won deal. Marking it done
 * schedules a CSAT follow-up due at once (the scheduler asks the owner). Marking a done milestone done
 * again changes nothing.
 */
export function recordMilestone(deal: Deal, nameInput: unknown, arg: MilestoneArg, by: Person, at: string): Deal {
  assertWon(deal);
  const name = parseMilestoneName(nameInput);
  const date = arg.kind === 'date' ? parseMilestoneDate(name, arg.date) : undefined;
  const plan = planOf(deal, at);
  const existing = plan.milestones.find((m) => m.name.toLowerCase() === name.toLowerCase());
  if (!existing && plan.milestones.length >= MILESTONES_MAX) throw new DomainError('PLAN.MILESTONES_TOO_MANY', { max: MILESTONES_MAX });
  if (arg.kind === 'done' && existing?.doneAt) return deal;
  if (arg.kind !== 'done' && existing && (date === undefined || existing.date === date)) return deal;
  const milestone: Milestone = { ...(existing ?? { name }), ...(date ? { date } : {}), ...(arg.kind === 'done' ? { doneAt: at } : {}) };
  const milestones = existing ? plan.milestones.map((m) => (m === existing ? milestone : m)) : [...plan.milestones, milestone];
  let delivery: DeliveryPlan = { ...plan, milestones };
  if (arg.kind === 'done') {
    delivery = { ...delivery, followUps: [...delivery.followUps, newFollowUp(delivery, 'milestone', at, milestone.name)], followUpSeq: delivery.followUpSeq + 1 };
  }
  return withChanges(deal, by, at, [], { delivery });
}

/** Snooze a week: the follow-up goes back to 'scheduled', due seven days from now. */
export function snoozeFollowUp(deal: Deal, followUpId: string, by: Person, at: string): Deal {
  const plan = deal.delivery;
  const followUp = plan?.followUps.find((f) => f.id === followUpId);
  if (!plan || !followUp) throw new DomainError('CSAT.FOLLOW_UP_UNKNOWN', { id: shorten(followUpId, 20) });
  if (followUp.status === 'recorded') throw new DomainError('CSAT.ALREADY_RECORDED', { id: followUp.id });
  const snoozed: FollowUp = { ...followUp, status: 'scheduled', dueAt: addDaysToInstant(at, SNOOZE_DAYS) };
  return withChanges(deal, by, at, [], { delivery: { ...plan, followUps: plan.followUps.map((f) => (f.id === followUpId ? snoozed : f)) } });
}

/** The follow-up `csat <ref>` opens: the oldest one asked and not recorded yet, if any. */
export function oldestAskedFollowUp(deal: Deal): FollowUp | undefined {
  return [...(deal.delivery?.followUps ?? [])].filter((f) => f.status === 'asked').sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}
