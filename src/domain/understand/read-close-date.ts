import type { CalendarDate } from '../calendar-date';
import type { DateMention } from './find-dates';
import { type Clause, negatedBefore } from './message-text';
import type { ProposedChange } from './update-proposal';

/**
 * Words that make a day the close date: signing, closing, the PO, "close date", "decision expected by", 签约, 签单,
 * 成交, 关单, 下单, and a bare 签 that ends its phrase ("3月底签", "Q3 签了"; 续签, a renewal, is none) … A day
 * without one ("met on Monday", "workshop next Friday", "周一见了客户") is not a close date.
 */
const CUE = /\b(?:sign|signs|signing|signed|signature|close|closes|closing|closed|close date|target close|po|purchase order|commit)\b|\bdecision (?:expected|due|date|by)\b|签约|签单|签合同|签署|签字|成交|关单|结单|落单|下单|关闭日期|预计关闭|(?<![续会加代批])签(?=\s*(?:$|[了下,.;!?]))/giu;
/** Cue words that are about something else: "close the gap", "closing remarks", "sign off the budget"; "close to" is near. */
const NOT_CUE = /^(?:close (?:the gap|to|contact|call|look)|closing (?:remarks|call|meeting)|sign(?:ed)? off|signed up|contract(?:or|ors)\b)/i;
/** …unless the close itself was moved: "pushed close to end of April", "slipped the close to Q3". */
const CLOSE_MOVED = /\b(?:push|pushed|pushing|move|moved|moving|slip|slipped|slips|slipping|delay|delayed|shift|shifted|bump|bumped)\s+(?:the\s+)?$/i;
const cueAt = (piece: string, at: number): boolean => !NOT_CUE.test(piece.slice(at)) || (/^close to/i.test(piece.slice(at)) && CLOSE_MOVED.test(piece.slice(0, at)));

/**
 * The close date: a future day in the same clause as a close word (the nearest one to it), on the user's calendar.
 * Days already past are not proposed; two different close dates in one message are ambiguous and none is proposed.
 */
export function readCloseDate(text: string, clauses: readonly Clause[], dates: readonly DateMention[], today: CalendarDate): ProposedChange[] {
  const found: DateMention[] = [];
  for (const clause of clauses) {
    const piece = text.slice(clause.start, clause.end);
    const cues = [...piece.matchAll(CUE)]
      .filter((m) => cueAt(piece, m.index))
      .map((m) => clause.start + m.index)
      .filter((at) => !negatedBefore(text, clause, at));
    if (cues.length === 0) continue;
    const inClause = dates.filter((d) => d.start >= clause.start && d.end <= clause.end);
    const nearest = inClause.sort((a, b) => distance(a, cues) - distance(b, cues))[0];
    if (nearest && nearest.date >= today) found.push(nearest);
  }
  if (new Set(found.map((d) => d.date)).size !== 1) return [];
  return [{ field: 'closeDate', date: found[0].date, span: { start: found[0].start, end: found[0].end } }];
}

const distance = (d: DateMention, cues: readonly number[]): number => Math.min(...cues.map((c) => (c <= d.start ? d.start - c : c - d.end + 0.5)));
