import type { CalendarDate } from './calendar-date';
import type { Deal } from './deal';
import type { Money } from './money';
import type { Person } from './person';
import type { Outcome, Stage } from './stage';

/** What an alert tells the deal team. Old and new values, so the card can say "old → new". */
export type AlertChange =
  | { kind: 'stage'; from: Stage; to: Stage; fromOutcome?: Outcome; toOutcome?: Outcome }
  | { kind: 'value'; from: Money; to: Money }
  | { kind: 'closeDate'; from: CalendarDate; to: CalendarDate }
  | { kind: 'owner'; from: Person; to: Person };

/**
 * An alert waiting in the deal's outbox. It is written in the same conditional write as the change that
 * caused it, so it can be neither lost nor doubled; it leaves the outbox when its deliveries exist.
 */
export interface PendingAlert {
  id: string;
  /** Where the deal stood before the alert's first change; the alert reports from here to now. */
  base: Pick<Deal, 'stage' | 'outcome' | 'value' | 'closeDate'> & { owner?: Person };
  changes: AlertChange[];
  actors: Person[];
  firstAt: string;
  /** Changes until then are folded into this alert (ALERT_COALESCE_MS after the first). */
  dueAt: string;
}

/** What `alerts <ref>` remembers of an alert once it has been handed to delivery. */
export interface AlertRecord {
  id: string;
  changes: AlertChange[];
  actors: Person[];
  at: string;
  recipients: number;
}

/** A value change counts when it moves by 10 % or more (any change from zero counts). */
export const VALUE_CHANGE_THRESHOLD = 0.1;

/** The changes between two versions of a deal that the deal team must hear about. */
export function alertChanges(before: Deal, after: Deal): AlertChange[] {
  const changes: AlertChange[] = [];
  if (before.stage !== after.stage || before.outcome !== after.outcome) {
    changes.push({ kind: 'stage', from: before.stage, to: after.stage, ...(before.outcome ? { fromOutcome: before.outcome } : {}), ...(after.outcome ? { toOutcome: after.outcome } : {}) });
  }
  // In whole cents, so exactly 10 % is never lost to floating point.
  const from = Math.round(before.value.amount * 100);
  const to = Math.round(after.value.amount * 100);
  const moved = from === 0 ? to !== 0 : Math.abs(to - from) * 10 >= from;
  if (before.value.currency !== after.value.currency || moved) changes.push({ kind: 'value', from: before.value, to: after.value });
  if (after.closeDate > before.closeDate) changes.push({ kind: 'closeDate', from: before.closeDate, to: after.closeDate });
  // The owner changed hands (reassign): the previous owner hears of it too (notify/recipients.ts).
  if (before.owner && after.owner && before.owner.id !== after.owner.id) changes.push({ kind: 'owner', from: before.owner, to: after.owner });
  return changes;
}
