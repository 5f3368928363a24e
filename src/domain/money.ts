import { DomainError } from './errors';
import { shorten } from './shorten-text';

/** Currencies DealDesk accepts (ISO 4217). */
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CNY', 'JPY', 'AUD', 'CAD', 'CHF', 'HKD', 'SGD', 'INR', 'KRW', 'SEK', 'NOK', 'DKK', 'NZD', 'BRL', 'MXN', 'ZAR', 'AED'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const DEFAULT_CURRENCY: Currency = 'USD';
export const MAX_VALUE = 1e12;

export interface Money {
  amount: number;
  currency: Currency;
}

export function parseCurrency(input: string): Currency {
  const code = input.trim().toUpperCase();
  const alias: Record<string, Currency> = { RMB: 'CNY', '$': 'USD', '€': 'EUR', '£': 'GBP', '¥': 'CNY', '￥': 'CNY', 人民币: 'CNY', 元: 'CNY', 美元: 'USD', 美金: 'USD', 欧元: 'EUR', 英镑: 'GBP', 日元: 'JPY', 港币: 'HKD', 港元: 'HKD' };
  const currency = alias[code] ?? code;
  if (!(CURRENCIES as readonly string[]).includes(currency)) {
    throw new DomainError('DEAL.CURRENCY_INVALID', { value: shorten(input.trim(), 12), allowed: CURRENCIES.join(', ') });
  }
  return currency as Currency;
}

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, mm: 1e6, b: 1e9, bn: 1e9, 千: 1e3, 万: 1e4, 十万: 1e5, 百万: 1e6, 千万: 1e7, 亿: 1e8 };

/** Full-width digits and signs (１２０，５), as a Chinese input method types them, read as their ASCII forms. */
const halfWidth = (text: string): string => text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/**
 * Reads an NWS amount as people type it: "1500000", "1,500,000", "1.5m", "250k", "$2M", and with Chinese units
 * "120万" (1,200,000), "1.2亿" (120,000,000), "120万元", full-width "１２０万".
 * Rounded to cents; negative, non-numeric and absurdly large amounts are refused.
 */
export function parseAmount(input: string | number): number {
  const spaced = halfWidth(String(input)).trim().toLowerCase().replace(/[\s_]/g, '').replace(/^[$€£¥￥]/, '').replace(/元$/, '');
  // Commas only as digit-group separators (1,500,000 or 15,00,000): "1,5m" is refused, never read as 15m.
  if (spaced.includes(',') && !/^-?\d{1,3}(,\d{2,3})*,\d{3}(\.\d+)?[a-z千万亿]*$/.test(spaced)) throw new DomainError('DEAL.VALUE_INVALID', { value: shorten(String(input), 40) });
  const text = spaced.replace(/,/g, '');
  const match = /^(-?\d+(?:\.\d+)?)(k|m|mm|b|bn|千|万|十万|百万|千万|亿)?$/.exec(text);
  const amount = match ? Number(match[1]) * (match[2] ? SUFFIX[match[2]] : 1) : NaN;
  if (!Number.isFinite(amount) || amount < 0 || amount > MAX_VALUE) {
    throw new DomainError('DEAL.VALUE_INVALID', { value: shorten(String(input), 40) });
  }
  return Math.round(amount * 100) / 100;
}
