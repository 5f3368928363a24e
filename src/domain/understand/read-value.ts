import type { AmountMention } from './find-amounts';
import { type Clause, clauseAt, NEGATION } from './message-text';
import type { ProposedChange } from './update-proposal';

/**
 * The deal's value, only when a word says the amount is the deal's: "value 1.5m", "deal size is now 2M", "worth
 * $800k", "TCV EUR 300k", "went up to 1.4m", "a 2m deal", "金额 150万", "合同额调整为 1.2亿", "150万的单子". A budget
 * amount is budget evidence, not the value (the customer's budget is not what we sell); any other number — a phone
 * number, a headcount, "3 workshops" — is none.
 */
const BEFORE = /(?:\b(?:value|deal value|deal size|size|nws|tcv|acv|contract value|deal amount|amount|worth|priced at|price|total|revenue|valued at)\b|金额|合同额|合同金额|项目金额|成交额|总金额|总价|价值|规模|体量|报价|预计金额)\s*(?:is|was|are|now|at|of|to|:|=|increased|decreased|went|gone|go|grew|jumped|dropped|fell|up|down|raised|revised|updated|changed|bumped|moved|roughly|about|around|approx\.?|approximately|~|from\s+\S+|从.*?|变为|变成|调整为|调整到|调到|改为|更新为|提高到|提升到|增加到|涨到|上调到|下调到|降到|降低到|是|为|约|大约|达到|到|了|\s)*$/iu;
const AFTER = /^\s*(?:deal|opportunity|opp|contract|project|的(?:单子|项目|合同|商机|订单)|单子|项目|合同|大单)/iu;
/** "went up from 1m to 1.4m": the amount after "to" is the new value. */
const FROM_TO = /(?:\bfrom|从)\s*$/i;

/** "value 2m → 2.4m", "1m to 1.4m": the amount before the arrow was the old value. */
const REPLACED = /^\s*(?:→|->|=>|to|变为|变成|改为|调整为|到)\s*[$€£¥]?\s*\d/iu;
/** What stands between a cue and the new amount in "value 2m → ": the old amount and its arrow. */
const ARROW_CHAIN = /\s*(?:[$€£¥]\s?)?\d[\d.,]*\s?(?:[kmb]|mm|bn|million|万|亿)?\s*(?:→|->|=>)\s*$/iu;

export function readValue(text: string, clauses: readonly Clause[], amounts: readonly AmountMention[]): ProposedChange[] {
  const found: AmountMention[] = [];
  for (const amount of amounts) {
    const clause = clauseAt(clauses, amount.start);
    if (!clause) continue;
    const before = text.slice(clause.start, amount.start);
    // A hedged or taken-back clause ("value is 1m or maybe 1.2m", "not 2m") proposes no value.
    if (NEGATION.test(text.slice(clause.start, clause.end))) continue;
    if (/budget|预算/i.test(before) || FROM_TO.test(before) || REPLACED.test(text.slice(amount.end, clause.end))) continue;
    const cueBefore = before.replace(ARROW_CHAIN, '');
    const cued = BEFORE.test(cueBefore) || (amount.moneyLike && AFTER.test(text.slice(amount.end, clause.end)));
    if (cued) found.push(amount);
  }
  const distinct = new Set(found.map((a) => `${a.amount} ${a.currency ?? ''}`));
  if (distinct.size !== 1) return [];
  const a = found[0];
  return [{ field: 'value', value: a.currency ? { amount: a.amount, currency: a.currency } : { amount: a.amount }, span: { start: a.start, end: a.end } }];
}
