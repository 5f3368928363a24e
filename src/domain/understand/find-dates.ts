import * as chrono from 'chrono-node';
import { localTime } from '../zoned-time';
import type { CalendarDate } from '../calendar-date';
import type { Span } from './update-proposal';

/** A day written in a message ("end of March", "next Friday", "by Q3", "3月底", "下周五", "2027-04-15"). */
export interface DateMention extends Span {
  date: CalendarDate;
}

interface Day {
  year: number;
  month: number;
  day: number;
}

const iso = (d: Day): CalendarDate => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const lastDay = (year: number, month: number): Day => ({ year, month, day: new Date(Date.UTC(year, month, 0)).getUTCDate() });
const quarterEnd = (year: number, quarter: number): Day => lastDay(year, quarter * 3);

const HAN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
/** 3, 三, 十二 → a number. */
export function smallNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (text.length === 1) return HAN_DIGITS[text] ?? NaN;
  if (text.startsWith('十')) return 10 + (HAN_DIGITS[text.slice(1)] ?? NaN);
  return NaN;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const HAN_NUM = '\\d{1,2}|十[一二]?|[一二三四五六七八九十]';

/**
 * Ends of periods, which a close date means when the message names a period and not a day ("by Q3", "end of the
 * quarter", "3月底", "月底", "年底"). Quarters are calendar quarters (Q3 ends on 30 September): DealDesk has no
 * fiscal-year setting, and a fiscal reading would move every "Q3" by months for the tenants whose year starts in
 * January. A named period that already ended this year is read in the next year (in November, "Q1" is next Q1).
 */
const PERIODS: ReadonlyArray<[RegExp, (m: RegExpExecArray, today: Day) => Day | undefined]> = [
  [/\b(?:end of |by |in |before )?(?:the )?Q([1-4])(?:\s*(?:'|20)?(\d{2}))?(?:\s*end)?\b/gi, (m, t) => {
    const q = Number(m[1]);
    if (m[2]) return quarterEnd(2000 + Number(m[2]), q);
    const end = quarterEnd(t.year, q);
    return iso(end) >= iso(t) ? end : quarterEnd(t.year + 1, q);
  }],
  [/\b(?:(?:by )?(?:the )?end of (?:the |this )?quarter|quarter[- ]end|this quarter|EOQ)\b/gi, (_m, t) => quarterEnd(t.year, Math.ceil(t.month / 3))],
  [/\b(?:(?:by )?(?:the )?end of next quarter|next quarter)\b/gi, (_m, t) => (t.month > 9 ? quarterEnd(t.year + 1, 1) : quarterEnd(t.year, Math.ceil(t.month / 3) + 1))],
  [/\b(?:(?:by )?(?:the )?end of (?:the |this )?year|year[- ]end|EOY)\b/gi, (_m, t) => lastDay(t.year, 12)],
  [/\b(?:(?:by )?(?:the )?end of (?:the |this )?month|month[- ]end|EOM)\b/gi, (_m, t) => lastDay(t.year, t.month)],
  [new RegExp(`\\b(?:by |the )?end of (${MONTHS.join('|')})[a-z]*\\b`, 'gi'), (m, t) => {
    const month = MONTHS.indexOf(m[1].toLowerCase().slice(0, 3)) + 1;
    const end = lastDay(t.year, month);
    return iso(end) >= iso(t) ? end : lastDay(t.year + 1, month);
  }],
  // Chinese
  [new RegExp(`(?:(\\d{4})年)?(${HAN_NUM})月(?:份)?(?:底|末)`, 'g'), (m, t) => {
    const month = smallNumber(m[2]);
    if (!(month >= 1 && month <= 12)) return undefined;
    if (m[1]) return lastDay(Number(m[1]), month);
    const end = lastDay(t.year, month);
    return iso(end) >= iso(t) ? end : lastDay(t.year + 1, month);
  }],
  [/(?:本|这个?|当)?月(?:底|末)/g, (_m, t) => lastDay(t.year, t.month)],
  [/下个?月(?:底|末)/g, (_m, t) => (t.month === 12 ? lastDay(t.year + 1, 1) : lastDay(t.year, t.month + 1))],
  [/(?:今年|年)(?:底|末)/g, (_m, t) => lastDay(t.year, 12)],
  [/(?:本|这个?|当)季度(?:末|底)?|季度末|季末/g, (_m, t) => quarterEnd(t.year, Math.ceil(t.month / 3))],
  [/下个?季度(?:末|底)?/g, (_m, t) => (t.month > 9 ? quarterEnd(t.year + 1, 1) : quarterEnd(t.year, Math.ceil(t.month / 3) + 1))],
  [/(?:第?([一二三四1-4])季度|Q([1-4]))(?:末|底)?/g, (m, t) => {
    const q = smallNumber(m[1] ?? m[2]);
    const end = quarterEnd(t.year, q);
    return iso(end) >= iso(t) ? end : quarterEnd(t.year + 1, q);
  }],
];

/** Relative periods chrono reads as a day but that name no day ("next week", "next month", 下周): left out. */
const VAGUE = /^(?:(?:next|this|last|coming) (?:week|month|year)|下个?周|下个?月|本周|这周)$/i;

/**
 * Every day written in `text`, read on the user's calendar at `now` in `timeZone`: period ends first (above), then
 * chrono-node's English and Chinese parsers for the rest (absolute dates, weekdays, "in two weeks", 下周五). A month
 * without a day ("in April", "3月") names no day and is left out; so is "mid-April" and 3月中旬.
 */
export function findDates(text: string, now: Date, timeZone: string): DateMention[] {
  const local = localTime(now, timeZone);
  const today: Day = { year: local.year, month: local.month, day: local.day };
  const out: DateMention[] = [];
  // The longest period wins where two overlap: 下个月底 over 月底, 三季度末 over 季度末.
  const periods = PERIODS.flatMap(([pattern, read]) => [...text.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length, day: read(m as RegExpExecArray, today) })));
  for (const p of periods.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)) {
    if (!p.day || out.some((d) => d.start < p.end && p.start < d.end)) continue;
    out.push({ start: p.start, end: p.end, date: iso(p.day) });
  }
  // chrono reads in the process's zone: give it the user's wall clock at noon, and read the parts it returns.
  const reference = new Date(today.year, today.month - 1, today.day, 12, 0, 0);
  for (const parser of [chrono.en, chrono.zh]) {
    for (const r of parser.parse(text, reference)) {
      // chrono takes a separator before a Chinese date into it (",4月1日"): the date starts after it.
      const lead = /^[\s,.;:!?、，。；：]*/.exec(r.text)![0].length;
      const span = { start: r.index + lead, end: r.index + r.text.length };
      if (/^(?:today|now|今天|今日|现在)$/i.test(r.text.slice(lead).trim())) continue;
      if (out.some((d) => d.start < span.end && span.start < d.end)) continue;
      if (VAGUE.test(r.text.trim())) continue;
      if (!r.start.isCertain('day') && !r.start.isCertain('weekday')) continue;
      out.push({ ...span, date: iso({ year: r.start.get('year')!, month: r.start.get('month')!, day: r.start.get('day')! }) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The user's today, as a calendar date. */
export function todayOf(now: Date, timeZone: string): CalendarDate {
  const l = localTime(now, timeZone);
  return iso(l);
}
