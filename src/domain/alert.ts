import type { Deal } from './deal';
import type { AlertChange, AlertRecord, PendingAlert } from './deal-parts';

export type { AlertChange, AlertRecord, PendingAlert };

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
