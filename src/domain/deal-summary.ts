import type { CalendarDate } from './calendar-date';
import { type Deal, type HistoryEntry, isOpen } from './deal';
import type { EvidenceKey } from './evidence';
import { type MoveTarget, nextStage } from './stage';
import { missingForMove } from './stage-gate';

/** How far back `summary <deal>` looks for changes. */
export const SUMMARY_DAYS = 7;
const DAY_MS = 86_400_000;

/** What DealDesk suggests doing next, most pressing first. */
export type SuggestedStep =
  | { kind: 'evidence'; items: EvidenceKey[]; target: MoveTarget }
  | { kind: 'closeDate' }
  | { kind: 'approval' }
  | { kind: 'stale' }
  | { kind: 'nextStep'; text: string }
  | { kind: 'move'; target: MoveTarget }
  | { kind: 'closed' };

/** A deal's week and risks, judged deterministically (the writer only puts them in words). */
export interface DealSummary {
  /** History of the last SUMMARY_DAYS days, oldest first (what the deal still holds; older pages are archived). */
  recent: HistoryEntry[];
  /** Open and unchanged for this many days, at or past the stale rule's threshold. */
  unchangedDays?: number;
  closeDatePassed?: CalendarDate;
  /** Evidence the next stage's gate still lacks. */
  missing?: { target: MoveTarget; items: EvidenceKey[] };
  approvalWaiting: boolean;
  step: SuggestedStep;
}

/** The next forward move of an open deal: the next stage, or closing Won from Proof. */
const nextTarget = (deal: Deal): MoveTarget | undefined => {
  const next = nextStage(deal.stage);
  if (!next) return undefined;
  return next === 'Close' ? { stage: 'Close', outcome: 'Won' } : { stage: next };
};

/**
 * `summary <deal>`: what changed in the last week, what is at risk (the stale rule of stale-deal.ts, a close date
 * passed, evidence the next gate lacks, an approval waiting) and one suggested next step. Pure: "now" and the reader's
 * "today" come from the caller.
 */
export function summariseDeal(deal: Deal, now: Date, today: CalendarDate, staleAfterDays: number): DealSummary {
  const since = now.getTime() - SUMMARY_DAYS * DAY_MS;
  const recent = deal.history.filter((e) => Date.parse(e.at) >= since);
  if (!isOpen(deal)) return { recent, approvalWaiting: false, step: { kind: 'closed' } };
  const days = Math.floor((now.getTime() - Date.parse(deal.updatedAt)) / DAY_MS);
  const unchangedDays = days >= staleAfterDays ? days : undefined;
  const closeDatePassed = deal.closeDate < today ? deal.closeDate : undefined;
  const target = nextTarget(deal);
  const items = target ? (missingForMove(deal.stage, target, deal.evidence, true).filter((i) => i !== 'finalValue' && i !== 'approval') as EvidenceKey[]) : [];
  const missing = target && items.length > 0 ? { target, items } : undefined;
  const approvalWaiting = deal.approval?.status === 'pending';
  const step: SuggestedStep = missing
    ? { kind: 'evidence', ...missing }
    : closeDatePassed
      ? { kind: 'closeDate' }
      : approvalWaiting
        ? { kind: 'approval' }
        : unchangedDays !== undefined
          ? { kind: 'stale' }
          : deal.nextStep.trim()
            ? { kind: 'nextStep', text: deal.nextStep }
            : target
              ? { kind: 'move', target }
              : { kind: 'closed' };
  return { recent, unchangedDays, closeDatePassed, missing, approvalWaiting, step };
}
