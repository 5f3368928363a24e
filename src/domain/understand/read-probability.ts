import { type Clause, negatedBefore } from './message-text';
import { smallNumber } from './find-dates';
import type { ProposedChange } from './update-proposal';

/** After a probability word the % may be left out ("probability 70", "prob down to 40"): a number not followed by more digits, a fraction ("3/5") or a word. */
const PERCENT = String.raw`(?:\s*%|(?![\d.,/:]|\s*\p{L}))`;

/**
 * A win probability, only next to a word for it: "probability 70%", "70% likely", "chance is 60%", "confidence
 * 80%", "赢单概率 70%", "把握 60%", "七成把握". A bare percentage (a discount, "20% of users") is none.
 */
const PATTERNS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => number]> = [
  [new RegExp(String.raw`\b(?:win (?:probability|prob|chance|rate)|probability|prob|chances?|likelihood|confidence|odds)\b(?:\s+(?:of winning|to win|of closing))?\s*(?:is|are|at|of|now|to|:|=|up to|down to|raised to|lowered to|increased to|dropped to|went up to|now at|about|around|~)*\s*(\d{1,3})${PERCENT}`, 'giu'), (m) => Number(m[1])],
  [/(\d{1,3})\s*%\s*(?:likely|likelihood|probability|prob|chance|confident|confidence|sure|win(?:\s+(?:probability|chance|rate))?)\b/giu, (m) => Number(m[1])],
  [new RegExp(String.raw`(?:赢单概率|赢单率|赢率|胜率|成功率|成单率|概率|把握|可能性)\s*(?:是|为|有|在|提高到|提升到|调整为|调整到|调到|调为|调成|改为|改成|变成|降到|降低到|上调到|下调到|大约|大概|约|:)*\s*(\d{1,3})${PERCENT}`, 'gu'), (m) => Number(m[1])],
  [/(\d{1,3})\s*%\s*(?:的)?\s*(?:赢单概率|概率|把握|可能性|赢率|胜率|成功率)/gu, (m) => Number(m[1])],
  [/(\d|[一二三四五六七八九])\s*成\s*(?:的)?\s*把握/gu, (m) => smallNumber(m[1]) * 10],
  [/(?:把握|可能性|概率)\s*(?:大概|大约|约|有|是|在)*\s*(\d|[一二三四五六七八九])\s*成(?![\p{L}])/gu, (m) => smallNumber(m[1]) * 10],
];

export function readProbability(text: string, clauses: readonly Clause[]): ProposedChange[] {
  const found: Array<{ percent: number; start: number; end: number }> = [];
  for (const clause of clauses) {
    const piece = text.slice(clause.start, clause.end);
    for (const [pattern, read] of PATTERNS) {
      for (const m of piece.matchAll(pattern)) {
        const at = clause.start + m.index!;
        const percent = read(m as RegExpExecArray);
        if (!(percent >= 0 && percent <= 100) || negatedBefore(text, clause, at)) continue;
        if (found.some((f) => f.start < at + m[0].length && at < f.end)) continue;
        found.push({ percent, start: at, end: at + m[0].length });
      }
    }
  }
  if (new Set(found.map((f) => f.percent)).size !== 1) return [];
  return [{ field: 'probability', percent: found[0].percent, span: { start: found[0].start, end: found[0].end } }];
}
