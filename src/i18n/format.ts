import type { Money } from '../domain/money';
import type { Locale } from './locale';

/** Money in the user's conventions: "$1,500,000.00" / "US$1,500,000.00". */
export const formatMoney = (locale: Locale, money: Money): string =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, maximumFractionDigits: 0 }).format(money.amount);

/** A calendar date (YYYY-MM-DD) without shifting it through a time zone. */
export function formatDate(locale: Locale, date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** An instant, in UTC, short. */
export const formatInstant = (locale: Locale, iso: string): string =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';
