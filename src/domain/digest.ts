import type { CalendarDate } from './calendar-date';
import { type Deal, type HistoryEntry, isOpen } from './deal';
import type { CsatEntry } from './delivery-plan';
import type { QuotaStatus, TeamMemberStatus } from './quota';
import { activeLevel } from './approval-round';
import { buildPipeline, type Pipeline } from './pipeline';
import { isStale } from './stale-deal';

const DAY_MS = 86_400_000;
export const CHANGED_WITHIN_DAYS = 7;
export const CLOSING_WITHIN_DAYS = 30;
/** Rows per digest section: the card stays small; the counts say how many there are. */
export const DIGEST_ROWS = 10;

/**
 * What a person's weekly digest is made of, from their deals. Pure: "now" and the person's local date
 * ("today") come from the caller.
 */
export interface Digest<D extends DigestDeal = DigestDeal> {
  pipeline: Pipeline;
  /** History entries of the last 7 days, newest first. */
  changed: Array<{ deal: D; entry: HistoryEntry }>;
  /** Open deals closing today or within 30 days, soonest first. */
  closing: D[];
  /** Open deals past their close date, or unchanged for `staleAfterDays`. */
  stale: D[];
}

/** What a digest shows of a deal: a queued digest carries only these fields (digestToSend), not whole deals. */
export type DigestDeal = Pick<Deal, 'id' | 'title' | 'value' | 'closeDate' | 'owner'>;

const addDays = (date: CalendarDate, days: number): CalendarDate => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export function buildDigest(deals: readonly Deal[], now: Date, today: CalendarDate, staleAfterDays: number): Digest<Deal> {
  const since = new Date(now.getTime() - CHANGED_WITHIN_DAYS * DAY_MS).toISOString();
  const until = addDays(today, CLOSING_WITHIN_DAYS);
  const open = deals.filter(isOpen);
  const changed = deals
    .flatMap((deal) => deal.history.filter((entry) => entry.at > since && entry.at <= now.toISOString()).map((entry) => ({ deal, entry })))
    .sort((a, b) => b.entry.at.localeCompare(a.entry.at));
  const bySoonest = (a: Deal, b: Deal) => a.closeDate.localeCompare(b.closeDate) || a.number - b.number;
  return {
    pipeline: buildPipeline(deals),
    changed,
    closing: open.filter((d) => d.closeDate >= today && d.closeDate <= until).sort(bySoonest),
    stale: open.filter((d) => isStale(d, now, today, staleAfterDays)).sort(bySoonest),
  };
}

/** Deals whose pending approval waits at its active level on `personId` (who has not decided yet). */
export const awaitingApprovalBy = (deals: readonly Deal[], personId: string): Deal[] =>
  deals.filter((deal) => {
    const level = activeLevel(deal);
    return !!level && level.approvers.some((p) => p.id === personId) && !level.decisions.some((d) => d.by.id === personId);
  });

/** Low CSAT scores nobody planned a recovery for yet. */
export const openLowCsat = (deals: readonly Deal[]): Array<{ deal: Deal; entry: CsatEntry }> =>
  deals.flatMap((deal) => (deal.csat ?? []).filter((e) => e.low && !e.recovery).map((entry) => ({ deal, entry })));

/** One person's weekly digest as it is sent: the week, their deals' digest and attainment, and a manager's part. */
export interface WeeklyDigest {
  name: string;
  /** The ISO week, "2026-W49". */
  week: string;
  digest: Digest;
  status: QuotaStatus;
  /** A manager's part: their reports, the approvals waiting on them, open low CSAT on their team's deals. */
  manager?: { team: TeamMemberStatus[]; approvals: DigestDeal[]; lowCsat: Array<{ deal: DigestDeal; entry: CsatEntry }> };
  /** A queued digest (digestToSend) keeps DIGEST_ROWS of each list: how many each had. */
  counts?: Record<DigestList, number>;
}

export type DigestList = 'changed' | 'closing' | 'stale' | 'team' | 'approvals' | 'lowCsat';

const digestDeal = ({ id, title, value, closeDate, owner }: DigestDeal): DigestDeal => ({ id, title, value, closeDate, owner });

/**
 * A weekly digest as it is queued to be sent: what the card shows and no more, so the stored message stays about
 * the size of the card whatever the number of deals. Each list keeps its first DIGEST_ROWS (the card shows no more)
 * and `counts` says how many it had; each deal is cut to DigestDeal; the pipeline's stages keep their totals
 * without their deal lists.
 */
export function digestToSend(weekly: WeeklyDigest): WeeklyDigest {
  const { digest, manager } = weekly;
  const firstRows = <T>(list: readonly T[]): T[] => list.slice(0, DIGEST_ROWS);
  const withDeal = <T extends { deal: DigestDeal }>(list: readonly T[]) => firstRows(list).map((row) => ({ ...row, deal: digestDeal(row.deal) }));
  return {
    name: weekly.name,
    week: weekly.week,
    digest: {
      pipeline: { ...digest.pipeline, stages: digest.pipeline.stages.map((s) => ({ ...s, deals: [] })) },
      changed: withDeal(digest.changed),
      closing: firstRows(digest.closing).map(digestDeal),
      stale: firstRows(digest.stale).map(digestDeal),
    },
    status: weekly.status,
    ...(manager ? { manager: { team: firstRows(manager.team), approvals: firstRows(manager.approvals).map(digestDeal), lowCsat: withDeal(manager.lowCsat) } } : {}),
    counts: {
      changed: countOf(weekly, 'changed', digest.changed),
      closing: countOf(weekly, 'closing', digest.closing),
      stale: countOf(weekly, 'stale', digest.stale),
      team: countOf(weekly, 'team', manager?.team ?? []),
      approvals: countOf(weekly, 'approvals', manager?.approvals ?? []),
      lowCsat: countOf(weekly, 'lowCsat', manager?.lowCsat ?? []),
    },
  };
}

/** How many rows a digest's list has: its length, or what a queued digest counted before cutting it. */
export const countOf = (weekly: Pick<WeeklyDigest, 'counts'>, list: DigestList, rows: readonly unknown[]): number => weekly.counts?.[list] ?? rows.length;
