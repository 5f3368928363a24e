import { type Currency, MAX_VALUE, parseCurrency } from '../money';
import type { Span } from './update-proposal';

/** An amount of money written in a message: "1.2m", "$1.5 million", "EUR 300k", "120万", "1.2亿元", "250,000 USD". */
export interface AmountMention extends Span {
  amount: number;
  currency?: Currency;
  /** Whether it reads as money on its own (a unit, a currency or a grouped number), not just any number. */
  moneyLike: boolean;
}

const CODES = 'USD|EUR|GBP|CNY|RMB|JPY|AUD|CAD|CHF|HKD|SGD|INR';
const SIGNS = '[$€£¥]';
const NAMED = '美元|美金|欧元|英镑|日元|港币|港元|人民币|元|dollars?|euros?|pounds?';
const UNITS: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, mn: 1e6, mil: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9, 千: 1e3, 万: 1e4, 十万: 1e5, 百万: 1e6, 千万: 1e7, 亿: 1e8 };
const UNIT = 'million|billion|thousand|mil|mm|mn|bn|[kmb](?![a-z])|十万|百万|千万|万|亿|千';

const AMOUNT = new RegExp(
  `(?:(?<pre>${CODES})\\s?|(?<sign>${SIGNS})\\s?)?` +
    `(?<![\\w.:/-])(?<!\\d,)(?<num>\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)` +
    `(?:\\s?(?<unit>${UNIT}))?` +
    `(?:\\s?(?<post>${CODES}|${NAMED}|${SIGNS})(?![a-z]))?` +
    `(?![\\d%a-z./:-])`,
  'giu',
);

const WORD_CURRENCY: Record<string, string> = { dollar: 'USD', dollars: 'USD', euro: 'EUR', euros: 'EUR', pound: 'GBP', pounds: 'GBP' };

/** Every amount in `text`; a number followed by %, a time (10:30), a date (3/31) or more letters is none. */
export function findAmounts(text: string): AmountMention[] {
  const out: AmountMention[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const g = m.groups!;
    const unit = g.unit?.toLowerCase();
    const amount = Math.round(Number(g.num.replace(/,/g, '')) * (unit ? UNITS[unit] : 1) * 100) / 100;
    if (!Number.isFinite(amount) || amount <= 0 || amount > MAX_VALUE) continue;
    const named = g.pre ?? g.sign ?? g.post;
    const currency = named ? parseCurrency(WORD_CURRENCY[named.toLowerCase()] ?? named) : undefined;
    out.push({ start: m.index, end: m.index + m[0].length, amount, currency, moneyLike: Boolean(unit || named || g.num.includes(',')) });
  }
  return out;
}
