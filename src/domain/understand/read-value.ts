import type { AmountMention } from './find-amounts';
import { type Clause, clauseAt, intendedBefore, isQuestion, NEGATION } from './message-text';
import type { ProposedChange } from './update-proposal';

/**
 * The deal's value, only when a word says the amount is the deal's: "value 1.5m", "deal size is now 2M", "worth
 * $800k", "TCV EUR 300k", "went up to 1.4m", "a 2m deal", "金额 150万", "合同额调整为 1.2亿", "150万的单子". A budget
 * amount is budget evidence, not the value (the customer's budget is not what we sell); any other number — a phone
 * number, a headcount, "3 workshops" — is none.
 */
const BEFORE = /(?:\b(?:value|deal value|deal size|size|nws|tcv|acv|contract value|deal amount|amount|worth|priced at|price|total|revenue|valued at)\b|金额|合同额|合同金额|项目金额|成交额|总金额|总价|价值|规模|体量|报价|预计金额)\s*(?:is|was|are|now|at|of|to|:|=|increased|increases|decreased|decreases|went|goes|gone|go|grew|grows|jumped|jumps|dropped|drops|fell|falls|rose|rises|up|down|raised|lowered|reduced|cut|revised|updated|changed|bumped|moved|roughly|about|around|approx\.?|approximately|~|from\s+\S+|从.*?|变为|变成|调整为|调整到|调到|调成|改为|改成|改到|更新为|更新成|提高到|提升到|增加到|涨到|上调到|下调到|降到|降低到|是|为|约|大约|达到|到|了|\s)*$/iu;
const AFTER = /^\s*(?:final\b|deal|opportunity|opp|contract|project|的(?:单子|项目|合同|商机|订单)|单子|项目|合同|大单)/iu;
/** "went up from 1m to 1.4m": the amount after "to" is the new value. */
const FROM_TO = /(?:\bfrom|从)\s*$/i;

/** "value 2m → 2.4m", "1m to 1.4m": the amount before the arrow was the old value. */
const REPLACED = /^\s*(?:→|->|=>|to|变为|变成|改为|调整为|到)\s*[$€£¥]?\s*\d/iu;
/** What stands between a cue and the new amount in "value 2m → ": the old amount and its arrow. */
const ARROW_CHAIN = /\s*(?:[$€£¥]\s?)?\d[\d.,]*\s?(?:[kmb]|mm|bn|million|万|亿)?\s*(?:→|->|=>)\s*$/iu;

/** An alternative ("1.5m or keep 1.2m?", 150万还是200万) is a choice still open, not a value. */
const ALTERNATIVE = /\bor\b|还是|或者|或是/iu;
/** A correction of what was just said: "1.3亿？不对，是1300万", "2m, sorry, 2.5m", "I mean 1.2m". */
const CORRECTION = /不对|说错了?|更正|纠正|订正|\b(?:sorry|i mean|correction|scratch that|typo)\b/giu;

/**
 * A self-correction: an amount said, then taken back ("1.3亿？不对，是1300万"). The first amount after the last
 * correction replaces every value read before it; with none after it, nothing is proposed.
 */
function corrected(text: string, found: readonly AmountMention[], amounts: readonly AmountMention[]): AmountMention[] {
  const marks = [...text.matchAll(CORRECTION)].map((m) => m.index + m[0].length);
  const last = marks.filter((at) => found.some((a) => a.end <= at)).pop();
  if (last === undefined) return [...found];
  const after = amounts.find((a) => a.start >= last && a.moneyLike);
  return [...(after ? [after] : []), ...found.filter((a) => a.start >= last && a !== after)];
}

/** "Contoso: 1.8m → 2.6m": a change between two amounts with units that opens its clause (after a name and colon). */
const UNIT_ARROW = /^(?:[^:：]*[:：])?\s*(?:[$€£¥]\s?)?\d[\d.,]*\s?(?:[kmb]|mm|bn|million|万|亿)\s*(?:→|->|=>)\s*$/iu;

export function readValue(text: string, clauses: readonly Clause[], amounts: readonly AmountMention[], won = false): ProposedChange[] {
  const unnamed: AmountMention[] = [];
  const candidates: AmountMention[] = [];
  for (const amount of amounts) {
    const clause = clauseAt(clauses, amount.start);
    if (!clause) continue;
    const before = text.slice(clause.start, amount.start);
    // A hedged or taken-back clause ("value is 1m or maybe 1.2m", "not 2m") proposes no value.
    if (NEGATION.test(text.slice(clause.start, clause.end))) continue;
    if (/budget|预算/i.test(before) || FROM_TO.test(before) || REPLACED.test(text.slice(amount.end, clause.end))) continue;
    const cueBefore = before.replace(ARROW_CHAIN, '');
    const cued = BEFORE.test(cueBefore) || (amount.moneyLike && UNIT_ARROW.test(before)) || (amount.moneyLike && AFTER.test(text.slice(amount.end, clause.end)));
    if (cued) candidates.push(amount);
    else if (won && amount.moneyLike && !/budget|预算/i.test(text.slice(clause.start, clause.end))) unnamed.push(amount);
  }
  // A question ("value 1.5m?"), an intention ("want the value at 1.5m") or an open alternative proposes none.
  const kept = (list: readonly AmountMention[]) => list.filter((a) => {
    const clause = clauseAt(clauses, a.start)!;
    return !isQuestion(text, clause) && !intendedBefore(text, clause, a.start) && !ALTERNATIVE.test(text.slice(clause.start, clause.end));
  });
  // A deal won with one amount and no value word ("signed! 60万美金", "won, 2.1m final") says what it was won at.
  const found = candidates.length > 0 ? kept(corrected(text, candidates, amounts)) : kept(unnamed);
  const distinct = new Set(found.map((a) => `${a.amount} ${a.currency ?? ''}`));
  if (distinct.size !== 1) return [];
  const a = found[0];
  return [{ field: 'value', value: a.currency ? { amount: a.amount, currency: a.currency } : { amount: a.amount }, span: { start: a.start, end: a.end } }];
}
