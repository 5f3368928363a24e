import type { Money } from '../domain/money';
import type { Locale } from './locale';

/** Intl formatters are costly to build; a turn formats dozens of values, so each is built once. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    f = build();
    formatters.set(key, f);
  }
  return f;
}

/** Money in the user's conventions: "$1,500,000" / "US$1,500,000". */
export const formatMoney = (locale: Locale, money: Money): string =>
  cached(`money|${locale}|${money.currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, maximumFractionDigits: 0 })).format(money.amount);

/**
 * Money in short, where room is scarce (a chart's labels): "$1.2M", "$120M" / "US$120万", "US$1.2亿" — what
 * Intl's compact notation gives in each language, three significant digits at most.
 */
export const formatMoneyShort = (locale: Locale, money: Money): string =>
  cached(`moneyShort|${locale}|${money.currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, notation: 'compact', maximumSignificantDigits: 3 })).format(money.amount);

/** A calendar date (YYYY-MM-DD) without shifting it through a time zone. */
export function formatDate(locale: Locale, date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return cached(`date|${locale}`, () => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })).format(new Date(Date.UTC(y, m - 1, d)));
}

/** An instant, in UTC, short. */
export const formatInstant = (locale: Locale, iso: string): string =>
  cached(`instant|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })).format(new Date(iso)) + ' UTC';

/** A number of days, spelled out: "1 day", "30 days" / "30天". */
export const formatDays = (locale: Locale, days: number): string =>
  cached(`days|${locale}`, () => new Intl.NumberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'long' })).format(days);
