import type { CalendarDate } from './calendar-date';
import type { Person } from './person';

/**
 * After a deal closes Won: how its delivery runs, and when DealDesk asks the owner how satisfied the
 * customer is (CSAT). Follow-ups are timers inside the deal document, written in the same conditional
 * write as the change that schedules them (the plan, a milestone marked done, a snooze).
 */
export interface Milestone {
  name: string;
  /** Planned date, when known. */
  date?: CalendarDate;
  /** When it was marked done. */
  doneAt?: string;
}

export type FollowUpReason = 'kickoff' | 'milestone' | 'end';

export interface FollowUp {
  /** Stable within the deal: `F1`, `F2`… */
  id: string;
  reason: FollowUpReason;
  /** The milestone it follows, for reason 'milestone'. */
  milestone?: string;
  /** When to ask the owner (ISO-8601 UTC). */
  dueAt: string;
  /** scheduled → asked (the CSAT card went out) → recorded (a score came back). */
  status: 'scheduled' | 'asked' | 'recorded';
  askedAt?: string;
}

export interface DeliveryPlan {
  kickoff: CalendarDate;
  plannedEnd: CalendarDate;
  milestones: Milestone[];
  followUps: FollowUp[];
  /** Set when the owner confirmed the plan (until then the defaults stand). */
  confirmedAt?: string;
  /** Numbers follow-ups: ids are `F<n>`. */
  followUpSeq: number;
}

export type ConditionsMet = 'yes' | 'partly' | 'no';

export interface Recovery {
  nextStep: string;
  owner: Person;
  by: Person;
  at: string;
}

export interface CsatEntry {
  /** `C<n>` within the deal. */
  id: string;
  followUpId?: string;
  milestone?: string;
  score: 1 | 2 | 3 | 4 | 5;
  conditionsMet: ConditionsMet;
  comment: string;
  by: Person;
  at: string;
  /** Score ≤ 3 or conditions not met: escalated to the owner's manager and the deal team. */
  low: boolean;
  /** The plan to recover a low score, once someone made one. */
  recovery?: Recovery;
}

/** Messages follow-ups cause, recorded in the deal by the same write (delivered like approval notices). */
export type FollowUpNotice =
  | { id: string; kind: 'deliveryPlanRequest'; to: Person }
  | { id: string; kind: 'csatRequest'; followUpId: string; to: Person }
  | { id: string; kind: 'lowCsat'; csatId: string; to: Person[] };
