import { DomainError } from './errors';
import { shorten } from './shorten-text';

/** A calendar date as `YYYY-MM-DD`: close dates have no time of day or zone. */
export type CalendarDate = string;

/** Accepts 2027-03-31, 2027/3/31, 2027.3.31 and 2027年3月31日; refuses dates that do not exist (2027-02-30). */
export function parseCalendarDate(input: string): CalendarDate {
  const typed = input.trim().replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(typed) ?? /^(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?[日号]?$/.exec(typed);
  if (match) {
    const [year, month, day] = match.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (year >= 2000 && year <= 2100 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return date.toISOString().slice(0, 10);
    }
  }
  throw new DomainError('DEAL.CLOSE_DATE_INVALID', { value: shorten(input.trim(), 40) });
}
