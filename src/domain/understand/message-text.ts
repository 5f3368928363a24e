import type { Span } from './update-proposal';

/**
 * Traditional characters of the words the readers know, read as their simplified forms (one character for one, so
 * offsets hold): 萬 and 億 are units like 万 and 亿, 預算 is 预算, 簽約 is 签约, 贏單 is 赢单.
 */
const TRADITIONAL = '萬億預確認簽約贏輸單額階機會驗證書號編關閉議負責術決務與東橋團銀運調為價項總報計劃於進';
const SIMPLIFIED = '万亿预确认签约赢输单额阶机会验证书号编关闭议负责术决务与东桥团银运调为价项总报计划于进';
const SIMPLE = new Map([...TRADITIONAL].map((c, i) => [c, SIMPLIFIED.charAt(i)]));

/**
 * A message as the readers see it: the same length as typed (every offset points into the original), full-width
 * letters, digits and punctuation a Chinese input method types read as ASCII, the ideographic space as a space,
 * traditional characters of the readers' words as simplified ones.
 */
export const readableText = (text: string): string =>
  text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u3000\u00a0]/g, ' ')
    .replace(/\p{Script=Han}/gu, (c) => SIMPLE.get(c) ?? c);

export interface Clause extends Span {
  /** The sentence the clause belongs to. */
  sentence: Span;
}

/** Ends a sentence: . ; ! ? and their Chinese forms, a line break; a point between digits (1.2m) or after "no", "ref", "approx" does not. */
const SENTENCE_END = /(?<!\b(?:no|ref|approx|vs|mr|ms|dr))(?:(?<!\d)\.|\.(?!\d))|[;!?。；！？\n]/gi;
/** Ends a clause inside a sentence: commas (not between digits: 1,200,000), a spaced dash, "and", "but", 并且, 但是… */
const CLAUSE_END = /(?<!\d),|,(?!\d)|[、]|\s+[-–—]+\s+|\s+(?:and|but|also|plus|then)\s+|并且|而且|但是|同时|另外|然后/gi;

function pieces(text: string, from: number, to: number, separator: RegExp): Span[] {
  const out: Span[] = [];
  let start = from;
  for (const m of text.slice(from, to).matchAll(separator)) {
    const at = from + m.index;
    out.push({ start, end: at });
    start = at + m[0].length;
  }
  out.push({ start, end: to });
  return out.map(trimmed(text)).filter((s) => s.end > s.start);
}

const trimmed = (text: string) => (s: Span): Span => {
  let { start, end } = s;
  while (start < end && /\s/.test(text.charAt(start))) start++;
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  return { start, end };
};

/** The message's clauses in order, each knowing its sentence. */
export function clausesOf(text: string): Clause[] {
  return pieces(text, 0, text.length, SENTENCE_END).flatMap((sentence) => pieces(text, sentence.start, sentence.end, CLAUSE_END).map((c) => ({ ...c, sentence })));
}

export const clauseAt = (clauses: readonly Clause[], index: number): Clause | undefined => clauses.find((c) => index >= c.start && index < c.end);

export const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/** Words that take back what follows in the clause: "not", "no", "haven't", 没, 未, 不… */
export const NEGATION = /\b(?:not|no|never|none|haven'?t|hasn'?t|didn'?t|don'?t|doesn'?t|isn'?t|wasn'?t|aren'?t|won'?t|can'?t|without|yet to|pending|tbd|unclear|unknown|maybe|might|if)\b|没有|没|未|不|尚未|待定|还没|无法|如果|可能/i;

/** Whether the clause text before `index` negates or hedges what comes at `index`. */
export function negatedBefore(text: string, clause: Span, index: number): boolean {
  return NEGATION.test(text.slice(clause.start, index));
}

/** Whether the clause's sentence asks rather than tells: it ends with a question mark, 吗 or 呢. */
export function isQuestion(text: string, clause: Clause): boolean {
  return /^\s*\?/.test(text.slice(clause.sentence.end)) || /[吗呢]\s*$/.test(text.slice(clause.sentence.start, clause.sentence.end));
}

/**
 * Words that make what follows an intention, a plan or a suggestion, not something that happened: "wants to go to
 * proof", "planning to move", "should we", "hope to", 想, 打算, 计划, 希望, 准备, 要不要, 是否, 应该.
 */
export const INTENTION = /\b(?:wants?|wanted|wanting|would like|'d like|plans?|planned|planning|hopes?|hoping|aims?|aiming|intends?|intending|expects?|expecting|trying|tries|should|shall|could|would|may|might|let'?s|consider(?:s|ing)?|thinking (?:about|of))\b|想|打算|计划|希望|准备|考虑|要不要|是否|应该|争取|也许|或许/iu;

/** Whether the clause text before `index` makes what comes at `index` an intention or a plan. */
export function intendedBefore(text: string, clause: Span, index: number): boolean {
  return INTENTION.test(text.slice(clause.start, index));
}
