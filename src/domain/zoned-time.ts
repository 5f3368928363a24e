/**
 * Wall-clock time in a person's time zone (IANA names, as Teams sends them in `localTimezone`), for
 * "Monday 08:00 where the user is". Pure arithmetic over Intl's zone data: an instant's local fields,
 * and the instant of a local date and hour, right across daylight-saving changes.
 */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday (ISO). */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const DAY_MS = 86_400_000;

/** Whether Intl knows the zone ("Europe/Berlin": yes; "Mars/Olympus": no). */
export function isTimeZone(zone: string): boolean {
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

export function localTime(instant: Date, zone: string): LocalTime {
  const parts = Object.fromEntries(formatterOf(zone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour % 24, minute: +parts.minute, weekday: WEEKDAYS[parts.weekday] };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, zone: string): number {
  const l = localTime(new Date(instant), zone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - Math.floor(instant / 60_000) * 60_000;
}

/**
 * The instant the zone's clocks show `hour`:00 on the given local date, resolved as Temporal's
 * "compatible" rule does: in an hour an autumn change repeats, the earlier instant; in an hour a spring
 * change skips, the wall time shifted forward by the gap (02:30 that never happens becomes 03:30).
 */
export function instantOf(date: { year: number; month: number; day: number }, hour: number, zone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour);
  // A day either side lies outside any transition near `wall`: the zone's offsets before and after it.
  const candidates = [wall - offsetAt(wall - DAY_MS, zone), wall - offsetAt(wall + DAY_MS, zone)];
  const shows = (t: number) => {
    const l = localTime(new Date(t), zone);
    return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) === wall;
  };
  const valid = candidates.filter(shows);
  return new Date(valid.length > 0 ? Math.min(...valid) : Math.max(...candidates));
}

/** The calendar date `days` after a local date (proleptic Gregorian; no zone needed). */
function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The first instant strictly after `after` at which the zone's clocks show `weekday` (1 = Monday) `hour`:00. */
export function nextWeekly(after: Date, zone: string, weekday: number, hour: number): Date {
  const now = localTime(after, zone);
  for (let ahead = (weekday - now.weekday + 7) % 7; ; ahead += 7) {
    const at = instantOf(addDays(now, ahead), hour, zone);
    if (at.getTime() > after.getTime()) return at;
  }
}

/** The first instant strictly after `after` at which the zone's clocks show `hour`:00. */
export function nextDaily(after: Date, zone: string, hour: number): Date {
  const now = localTime(after, zone);
  for (let ahead = 0; ; ahead++) {
    const at = instantOf(addDays(now, ahead), hour, zone);
    if (at.getTime() > after.getTime()) return at;
  }
}

/** The ISO week ("2026-W48") that `instant` falls in where the person is. */
export function isoWeekOf(instant: Date, zone: string): string {
  const l = localTime(instant, zone);
  // ISO: the week's Thursday decides the year.
  const thursday = new Date(Date.UTC(l.year, l.month - 1, l.day) + (4 - l.weekday) * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / DAY_MS / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The local calendar date ("2026-11-27") of `instant` where the person is. */
export function localDateOf(instant: Date, zone: string): string {
  const l = localTime(instant, zone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}
