import type { CalendarDate } from './calendar-date';
import { type Deal, isOpen } from './deal';
import type { CsatEntry } from './delivery-plan';

/** How many scores the trend shows. */
export const TREND_SCORES = 4;

export interface AccountSummary {
  account: string;
  fiscalYear: { start: CalendarDate; end: CalendarDate; label: string };
  openDeals: Deal[];
  /** Won NWS this fiscal year, per currency. */
  wonThisYear: Array<{ currency: string; amount: number; deals: number }>;
  /** Average of every score of the account's deals, to one decimal; undefined when none. */
  csatAverage?: number;
  csatCount: number;
  /** The last scores, oldest first. */
  trend: Array<{ dealId: string; at: string; score: number }>;
  /** Low scores with no recovery planned yet. */
  openLow: Array<{ deal: Deal; entry: CsatEntry }>;
}

/** The fiscal year `today` falls in: FY2027 starts 2026-07-01 when it starts in July. Named after the year it ends in. */
export function fiscalYearOf(today: CalendarDate, startMonth: number): AccountSummary['fiscalYear'] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const startYear = month >= startMonth ? year : year - 1;
  const start = `${startYear}-${String(startMonth).padStart(2, '0')}-01`;
  const endDate = new Date(Date.UTC(startYear + 1, startMonth - 1, 1) - 86_400_000);
  const end = endDate.toISOString().slice(0, 10);
  return { start, end, label: `FY${startMonth === 1 ? startYear : startYear + 1}` };
}

/** When the deal closed Won: `closedAt` (else its last move to Won in the history, for deals written before), else its close date. */
export function wonOn(deal: Deal): CalendarDate | undefined {
  if (deal.stage !== 'Close' || deal.outcome !== 'Won') return undefined;
  const won = deal.closedAt ?? [...deal.history].reverse().find((h) => h.change.kind === 'stage' && h.change.outcome === 'Won')?.at;
  return won ? won.slice(0, 10) : deal.closeDate;
}

/** The account's view from its deals (all of one account, of one tenant). */
export function summariseAccount(account: string, deals: readonly Deal[], today: CalendarDate, fiscalYearStartMonth: number): AccountSummary {
  const fiscalYear = fiscalYearOf(today, fiscalYearStartMonth);
  const won = new Map<string, { amount: number; deals: number }>();
  for (const deal of deals) {
    const on = wonOn(deal);
    if (!on || on < fiscalYear.start || on > fiscalYear.end) continue;
    const sum = won.get(deal.value.currency) ?? { amount: 0, deals: 0 };
    won.set(deal.value.currency, { amount: sum.amount + deal.value.amount, deals: sum.deals + 1 });
  }
  const scores = deals.flatMap((deal) => deal.csat.map((entry) => ({ deal, entry }))).sort((a, b) => a.entry.at.localeCompare(b.entry.at));
  const average = scores.length > 0 ? Math.round((scores.reduce((s, x) => s + x.entry.score, 0) / scores.length) * 10) / 10 : undefined;
  return {
    account,
    fiscalYear,
    openDeals: deals.filter(isOpen),
    wonThisYear: [...won.entries()].map(([currency, v]) => ({ currency, ...v })).sort((a, b) => a.currency.localeCompare(b.currency)),
    ...(average !== undefined ? { csatAverage: average } : {}),
    csatCount: scores.length,
    trend: scores.slice(-TREND_SCORES).map(({ deal, entry }) => ({ dealId: deal.id, at: entry.at, score: entry.score })),
    openLow: scores.filter(({ entry }) => entry.low && !entry.recovery),
  };
}
