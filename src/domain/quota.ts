import type { Person } from './person';
import type { Deal } from './deal';
import { isOpen } from './deal';
import { DomainError } from './errors';
import { type Currency, type Money, parseAmount } from './money';
import type { ServiceLine } from './service-line';
import { shorten } from './shorten-text';

/**
 * A person's NWS (net new services) targets for one fiscal year: PG1 is Consulting, PG2 Premier Support.
 * Set by their manager or an admin.
 */
export interface Quota {
  tenantId: string;
  personId: string;
  /** "FY2027" for the fiscal year that ends in 2027. */
  fiscalYear: string;
  pg1: Money;
  pg2: Money;
  setBy: { id: string; name: string };
  updatedAt: string;
}

export type ProductGroup = 'pg1' | 'pg2';
export const PRODUCT_GROUPS: readonly ProductGroup[] = ['pg1', 'pg2'];

export interface FiscalYear {
  /** "FY2027": named after the calendar year it ends in. */
  label: string;
  /** First and last day, YYYY-MM-DD (inclusive). */
  start: string;
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The fiscal year a calendar date (YYYY-MM-DD) falls in, when years start in `startMonth` (1–12).
 * With July (7): 2026-07-01 … 2027-06-30 is FY2027. With January (1) the fiscal year is the calendar year.
 */
export function fiscalYearOf(date: string, startMonth: number): FiscalYear {
  const [year, month] = date.split('-').map(Number);
  const startYear = month >= startMonth ? year : year - 1;
  const endYear = startMonth === 1 ? startYear : startYear + 1;
  const start = `${startYear}-${pad(startMonth)}-01`;
  const lastMonth = startMonth === 1 ? 12 : startMonth - 1;
  const lastDay = new Date(Date.UTC(endYear, lastMonth, 0)).getUTCDate();
  return { label: `FY${endYear}`, start, end: `${endYear}-${pad(lastMonth)}-${pad(lastDay)}` };
}

/** Which product group a service line's NWS counts toward: Consulting and Enterprise Strategy (advisory services) are PG1, Premier Support is PG2. */
export const PG_OF: Record<ServiceLine, ProductGroup> = { 'Enterprise Strategy': 'pg1', Consulting: 'pg1', 'Premier Support': 'pg2' };

/**
 * How a deal's value splits between PG1 and PG2: equally across its service lines, each line's share going
 * to its product group. [Consulting] → all PG1; [Consulting, Premier Support] → half each;
 * [Enterprise Strategy, Consulting] → all PG1. A deal's value is never counted twice.
 */
export function pgShares(lines: readonly ServiceLine[]): Record<ProductGroup, number> {
  const shares = { pg1: 0, pg2: 0 };
  if (lines.length === 0) return { pg1: 1, pg2: 0 };
  for (const line of lines) shares[PG_OF[line]] += 1 / lines.length;
  return shares;
}

/** The day a deal closed: when it moved to Close (`closedAt`, else its history for deals written before), or its close date. */
export function closedOn(deal: Deal): string {
  const close = deal.closedAt ?? [...deal.history].reverse().find((h) => h.change.kind === 'stage' && h.change.to === 'Close')?.at;
  return close ? close.slice(0, 10) : deal.closeDate;
}

export type PgAmounts = Record<ProductGroup, number>;

export interface QuotaStatus {
  fiscalYear: FiscalYear;
  /** The amounts' currency: the quota's, or USD without one. Deals in other currencies are not converted. */
  currency: Currency;
  quota?: Quota;
  /** NWS of deals closed Won in the fiscal year, per product group. */
  won: PgAmounts;
  /** Open NWS and open NWS × probability, per product group. */
  open: PgAmounts;
  weighted: PgAmounts;
  /** Attainment in percent (won / target), per group and overall; undefined without a target. */
  attainment: { pg1?: number; pg2?: number; total?: number };
  /** What is left to reach each target (never below 0); undefined without a target. */
  gap: { pg1?: number; pg2?: number; total?: number };
  /** Deals left out because their currency differs from the quota's. */
  otherCurrency: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const percent = (won: number, target: number): number | undefined => (target > 0 ? Math.round((won / target) * 1000) / 10 : undefined);

/**
 * Where a person stands against their quota in a fiscal year, from their deals (open and closed).
 * Only deals in the quota's currency count; the others are counted in `otherCurrency`.
 */
export function quotaStatus(deals: readonly Deal[], fiscalYear: FiscalYear, quota: Quota | undefined): QuotaStatus {
  const currency: Currency = quota?.pg1.currency ?? 'USD';
  const won = { pg1: 0, pg2: 0 };
  const open = { pg1: 0, pg2: 0 };
  const weighted = { pg1: 0, pg2: 0 };
  let otherCurrency = 0;
  for (const deal of deals) {
    const counts = isOpen(deal) || (deal.outcome === 'Won' && closedOn(deal) >= fiscalYear.start && closedOn(deal) <= fiscalYear.end);
    if (!counts) continue;
    if (deal.value.currency !== currency) {
      otherCurrency += 1;
      continue;
    }
    const shares = pgShares(deal.serviceLines);
    for (const pg of PRODUCT_GROUPS) {
      const amount = deal.value.amount * shares[pg];
      if (isOpen(deal)) {
        open[pg] += amount;
        weighted[pg] += (amount * deal.probability) / 100;
      } else {
        won[pg] += amount;
      }
    }
  }
  for (const pg of PRODUCT_GROUPS) {
    won[pg] = round2(won[pg]);
    open[pg] = round2(open[pg]);
    weighted[pg] = round2(weighted[pg]);
  }
  const target = quota ? { pg1: quota.pg1.amount, pg2: quota.pg2.amount, total: quota.pg1.amount + quota.pg2.amount } : undefined;
  const wonTotal = won.pg1 + won.pg2;
  return {
    fiscalYear,
    currency,
    quota,
    won,
    open,
    weighted,
    attainment: target ? { pg1: percent(won.pg1, target.pg1), pg2: percent(won.pg2, target.pg2), total: percent(wonTotal, target.total) } : {},
    gap: target
      ? { pg1: round2(Math.max(0, target.pg1 - won.pg1)), pg2: round2(Math.max(0, target.pg2 - won.pg2)), total: round2(Math.max(0, target.total - wonTotal)) }
      : {},
    otherCurrency,
  };
}

/** Reads a quota amount as typed ("1.5m", "250k"); a bad one names the field (PG1 or PG2). */
export function parseQuotaAmount(field: ProductGroup, input: string): number {
  try {
    return parseAmount(input);
  } catch {
    throw new DomainError('QUOTA.AMOUNT_INVALID', { field: field.toUpperCase(), value: shorten(String(input), 40) });
  }
}

/** One report of a manager with their pipeline and attainment (`my team`, a manager's digest). */
export interface TeamMemberStatus {
  person: Person;
  status: QuotaStatus;
}
